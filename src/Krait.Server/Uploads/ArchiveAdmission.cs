using Krait.Index;
using Krait.Packages;

namespace Krait.Server.Uploads;

/// <summary>
/// The check every archive passes before it enters a channel, whether uploaded or copied from a mirror's upstream:
/// unpacked with every check an install makes (paths, links, sizes, the files against <c>info/paths.json</c>), then
/// its index record read and checked against its file name and subdir. Anything wrong is a <see cref="HostileArchiveException"/>.
/// </summary>
public static class ArchiveAdmission
{
    /// <summary>The archive's index entry; <paramref name="scratch"/> is an empty folder to unpack into (the caller deletes it).</summary>
    public static IndexedPackage Check(string archive, string scratch, string? subdir)
    {
        var mismatches = PackageExtractor.Extract(archive, Path.Combine(scratch, "unpacked"));
        if (mismatches.Count > 0)
        {
            throw new HostileArchiveException(Path.GetFileName(archive), "info/paths.json", $"does not describe what the package holds: {string.Join("; ", mismatches.Take(5))}");
        }

        return PackageMetadata.Read(archive, subdir);
    }
}
