using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Records;

namespace Krait.Cli.Installing;

/// <summary>Where the archive of a record from a local channel is: its <c>file://</c> URL as a path.</summary>
internal static class LocalArchives
{
    public static bool IsLocal(PackageRecord record) =>
        record.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile;

    public static string PathOf(PackageRecord record)
    {
        if (record.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            if (!File.Exists(uri.LocalPath))
            {
                throw new KraitException("CondaFileIOError", $"{record}: the channel lists {record.FileName} but {uri.LocalPath} does not exist", "re-index the channel, or restore the file");
            }

            return uri.LocalPath;
        }

        throw new KraitException(
            "CondaHTTPError",
            $"{record}: downloading {Channel.Redact(record.Url ?? record.FileName)} needs remote channel support (issue 5); only local channels can be installed from yet");
    }
}
