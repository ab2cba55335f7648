using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Conda.Versions;
using Krait.Configuration;
using Krait.Files;
using Krait.Networking;
using Krait.Repodata.Channels;
using Krait.Repodata.Parsing;

namespace Krait.Cli.Output;

/// <summary>
/// Runs a command body and turns every expected failure into a clear message and exit code 1: on stderr as
/// <c>error: …</c> (with a hint when there is one), or with <c>--json</c> as conda's error object on stdout.
/// </summary>
public static class CommandRunner
{
    public static int Run(bool json, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (Describe(e) is { } failure)
        {
            if (json)
            {
                JsonOutput.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("error", $"{failure.Name}: {failure.Message}");
                    w.WriteString("exception_name", failure.Name);
                    w.WriteString("message", failure.Message);
                    w.WriteBoolean("success", false);
                    w.WriteEndObject();
                });
            }
            else
            {
                Console.Error.WriteLine($"error: {failure.Message}");
                if (failure.Hint is not null)
                {
                    Console.Error.WriteLine($"hint: {failure.Hint}");
                }
            }

            return 1;
        }
    }

    /// <summary>
    /// A repodata error as FILE:LINE:COL when the file is a regular file on disk (read again only on this error path;
    /// never a fifo or a device, which a hostile channel may put there).
    /// </summary>
    private static string Located(RepodataFormatException error)
    {
        if (Krait.Files.FileKinds.Of(error.Source) != Krait.Files.FileKind.Regular)
        {
            return error.Message;
        }

        var (line, column) = Krait.Conda.Parsing.JsonErrors.LineAndColumn(File.ReadAllBytes(error.Source), error.ByteOffset);
        return $"{error.Source}:{line}:{column}: malformed repodata (byte {error.ByteOffset}): {error.Problem}";
    }

    private static (string Name, string Message, string? Hint)? Describe(Exception e) => e switch
    {
        KraitException k => (k.ExceptionName, k.Message, k.Hint),
        RemoteChannelException r => ("CondaHTTPError", Channel.Redact(r.Message), r.Hint),
        DigestMismatchException d => ("ChecksumMismatchError", Channel.Redact(d.Message), "the channel or a proxy serves a different file than it indexes: re-index the channel, or report it to its owner"),
        HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException tls } => ("CondaSSLError", Channel.Redact($"the channel's TLS certificate is not trusted: {tls.Message}"), "set ssl_verify in .condarc to the PEM file of its certificate authority (or false, for a test server only)"),
        HttpRequestException h => ("CondaHTTPError", Channel.Redact(h.Message), "check the channel URL and the network"),
        OperationCanceledException => ("CondaSystemExit", "interrupted: the environment was rolled back to where it was", null),
        Krait.Install.Environments.PackagesNotInstalledException p => ("PackagesNotFoundError", p.Message, "see what is installed with krait list"),
        Krait.Install.InstallException i => ("CondaError", Channel.Redact(i.Message), null),
        InvalidPackageRecordException r => ("SafetyError", Channel.Redact(r.Message), "the channel's metadata is damaged or hostile; the record is not used"),
        Krait.Packages.HostileArchiveException h => ("SafetyError", Channel.Redact(h.Message), "the package file is damaged or unsafe; it was not installed"),
        InvalidMatchSpecException m => ("InvalidMatchSpec", m.Message, "specs look like: numpy, numpy>=1.20, numpy=1.26=py312*, conda-forge::numpy[build=*mkl*]"),
        InvalidVersionSpecException v => ("InvalidVersionSpec", v.Message, null),
        InvalidVersionException v => ("InvalidVersion", v.Message, null),
        ChannelNotFoundException c => ("UnavailableInvalidChannel", Channel.Redact(c.Message), "check the channel: a local one is a folder holding <platform>/repodata.json (or noarch/repodata.json), and a relative path starts from the current folder"),
        RepodataFormatException r => ("CondaJSONError", Located(r), "the channel's repodata.json is damaged: re-index the channel or fetch it again"),
        ConfigException c => ("LoadError", Channel.Redact(c.Message), "fix or remove that configuration file"),
        ArgumentException a => ("ArgumentError", Channel.Redact(a.ParamName is null ? a.Message : a.Message.Replace($" (Parameter '{a.ParamName}')", string.Empty, StringComparison.Ordinal)), null),
        UnauthorizedAccessException u => ("PermissionError", u.Message, null),
        IOException io => ("OSError", io.Message, io.HResult is 28 or 122 ? "the disk is full: free some space and try again" : null),
        _ => null,
    };
}
