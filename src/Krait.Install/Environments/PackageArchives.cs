using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Packages;

namespace Krait.Install.Environments;

/// <summary>
/// Where the archive of a record to link is: a local channel's file (its <c>file://</c> URL as a path), else the
/// package cache, where the remote ones were downloaded before the transaction (<see cref="EnvironmentInstaller"/>),
/// and where an offline bundle puts its archives, local channel's or not (so a local channel's file that is not on
/// this machine is taken from the cache when it is there; it is checked against the record like any other).
/// </summary>
public static class PackageArchives
{
    public static bool IsLocal(PackageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile;
    }


    /// <summary>Whether the archive must be fetched before a transaction can link it: remote, and no cache holds it.</summary>
    public static bool MustFetch(PackageRecord record, PackageCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        return !IsLocal(record) && !cache.Holds(record);
    }

    /// <summary>The archive's path; an error naming the record when it is not where it should be.</summary>
    public static string Locate(PackageRecord record, PackageCache cache)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(cache);
        if (record.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            var cached = Path.Combine(cache.Directory, record.FileName);
            return File.Exists(uri.LocalPath) ? uri.LocalPath
                : File.Exists(cached) ? cached
                : throw new InstallException($"{record}: the channel lists {record.FileName} but {uri.LocalPath} does not exist; re-index the channel, or restore the file");
        }

        var downloaded = Path.Combine(cache.Directory, record.FileName);
        return File.Exists(downloaded)
            ? downloaded
            : throw new InstallException($"{record}: {Channel.Redact(record.Url ?? record.FileName)} was not downloaded");
    }
}
