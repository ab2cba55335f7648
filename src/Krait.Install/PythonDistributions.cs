using Krait.Conda.Platforms;

namespace Krait.Install;

/// <summary>A Python distribution in an environment's site-packages that no conda package owns: pip put it there.</summary>
/// <param name="Name">The distribution's name as its metadata spells it.</param>
/// <param name="Version">Its version, as pip reports it.</param>
/// <param name="MetadataPath">Its <c>.dist-info</c> or <c>.egg-info</c>, relative to the prefix.</param>
public sealed record PythonDistribution(string Name, string Version, string MetadataPath);

/// <summary>
/// Finds what pip installed in an environment, as conda does for <c>conda list</c> (channel <c>pypi</c>) and
/// <c>conda env export</c> (the <c>pip:</c> section): every <c>*.dist-info</c> and <c>*.egg-info</c> in the python's
/// site-packages whose metadata file is not among the files of a conda package. There is nothing else to record:
/// the metadata pip writes is the record, and a later <c>pip uninstall</c> keeps it true.
/// </summary>
public static class PythonDistributions
{
    /// <summary>Metadata headers come first; a file longer than this before its blank line is not metadata pip wrote.</summary>
    private const int MaxHeaderBytes = 256 * 1024;

    /// <summary>The distributions pip installed in <paramref name="prefix"/>, by name; none when it has no python.</summary>
    /// <param name="platform">The environment's platform when its python record names none.</param>
    public static IReadOnlyList<PythonDistribution> Read(Prefix prefix, IReadOnlyList<InstalledPackage> installed, string platform)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(installed);
        var records = installed.Select(i => i.Record).ToList();
        var python = records.Find(r => r.Name == "python");
        var layout = PythonLayout.From(records, python?.Subdir is { } subdir && subdir != Platform.NoArch ? subdir : platform);
        var sitePackages = layout is null ? null : PrefixPaths.Under(prefix.Path, layout.SitePackages);
        if (sitePackages is null || !Directory.Exists(sitePackages))
        {
            return [];
        }

        var owned = installed.SelectMany(i => i.Files).ToHashSet(layout!.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        var found = new List<PythonDistribution>();
        foreach (var entry in new DirectoryInfo(sitePackages).EnumerateFileSystemInfos())
        {
            var metadataFile = entry switch
            {
                DirectoryInfo { LinkTarget: null } when entry.Name.EndsWith(".dist-info", StringComparison.Ordinal) => "/METADATA",
                DirectoryInfo { LinkTarget: null } when entry.Name.EndsWith(".egg-info", StringComparison.Ordinal) => "/PKG-INFO",
                FileInfo { LinkTarget: null } when entry.Name.EndsWith(".egg-info", StringComparison.Ordinal) => string.Empty,
                _ => null,
            };
            var relative = $"{layout.SitePackages}/{entry.Name}{metadataFile}";
            if (metadataFile is null || owned.Contains(relative) || ReadHeaders(Path.Combine(prefix.Path, relative)) is not { } distribution)
            {
                continue;
            }

            found.Add(new PythonDistribution(distribution.Name, distribution.Version, $"{layout.SitePackages}/{entry.Name}"));
        }

        found.Sort((a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
        return found;
    }

    /// <summary>The <c>Name:</c> and <c>Version:</c> of a core-metadata file (RFC 822 headers), or null when it has none.</summary>
    private static (string Name, string Version)? ReadHeaders(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string? name = null;
        string? version = null;
        var read = 0;
        using var reader = new StreamReader(path);
        while (reader.ReadLine() is { Length: > 0 } line && (read += line.Length + 1) <= MaxHeaderBytes)
        {
            if (line.StartsWith("Name:", StringComparison.OrdinalIgnoreCase))
            {
                name ??= line["Name:".Length..].Trim();
            }
            else if (line.StartsWith("Version:", StringComparison.OrdinalIgnoreCase))
            {
                version ??= line["Version:".Length..].Trim();
            }
        }

        return name is { Length: > 0 } && version is { Length: > 0 } ? (name, version) : null;
    }
}
