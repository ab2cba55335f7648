using Krait.Conda.Records;

namespace Krait.Install;

/// <summary>
/// A package as an environment's <c>conda-meta/&lt;name&gt;-&lt;version&gt;-&lt;build&gt;.json</c> describes it: its record,
/// that file's name, the paths it put in the environment (relative, <c>/</c>-separated) and the spec it was asked for.
/// </summary>
public sealed record InstalledPackage(PackageRecord Record, string MetaFileName, IReadOnlyList<string> Files, string? RequestedSpec)
{
    /// <summary>The conda-meta file name conda gives a record.</summary>
    public static string MetaFileNameOf(PackageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!PackageNaming.IsValidName(record.Name) || !PackageNaming.IsValidVersion(record.Version) || !PackageNaming.IsValidBuild(record.Build))
        {
            // Every reader checks records already; this is the last line before the name becomes a file in conda-meta.
            throw new InvalidPackageRecordException("conda-meta", record.FileName, PackageNaming.Problem(record) ?? "its name, version or build cannot name a file");
        }

        return $"{record.Name}-{record.Version}-{record.Build}.json";
    }
}
