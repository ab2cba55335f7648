using Krait.Conda.Records;

namespace Krait.Conda.Lockfiles;

/// <summary>A solved record as a lockfile entry.</summary>
public static class LockedPackageOf
{
    /// <summary>
    /// The entry of <paramref name="record"/>: its URL, checksums, dependencies and size. A record without a URL or
    /// without any checksum cannot be locked (it could not be fetched, or not be verified), and is a
    /// <see cref="FormatException"/> that names it.
    /// </summary>
    public static LockedPackage Record(PackageRecord record, string category = "main")
    {
        ArgumentNullException.ThrowIfNull(record);
        var url = record.Url ?? throw new FormatException($"{record.Name}-{record.Version}-{record.Build} has no download URL, so it cannot be locked");
        if (record.Md5 is null && record.Sha256 is null)
        {
            throw new FormatException($"{url} has neither md5 nor sha256 in its channel's repodata, so a lockfile could not verify it; ask the channel to index it again");
        }

        return new LockedPackage(
            LockedPackageKind.Conda, record.Subdir ?? Platforms.Platform.NoArch, record.Name, record.Version, record.Build, url,
            record.Sha256, record.Md5, record.Depends, category, Optional: false, record.Size);
    }
}
