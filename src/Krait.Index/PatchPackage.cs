using System.Text.Json;
using Krait.Conda.Records;
using Krait.Packages;

namespace Krait.Index;

/// <summary>
/// rattler-index's form of repodata patches: a package in the channel's <c>noarch/</c> whose payload holds
/// <c>SUBDIR/patch_instructions.json</c> for each subdir it patches (conda-forge's <c>conda-forge-repodata-patches</c>
/// is built this way). The newest <c>.conda</c> of the name (by version, then its index.json's build number) is used.
/// </summary>
public static class PatchPackage
{
    /// <summary>The instructions for <paramref name="subdir"/> in the newest patch package, or null when it has none for that subdir.</summary>
    public static byte[]? Instructions(string noarchFolder, string packageName, string subdir)
    {
        string? newest = null;
        (Version Version, long BuildNumber)? newestKey = null;
        foreach (var path in Directory.Exists(noarchFolder) ? Directory.EnumerateFiles(noarchFolder, "*" + PackageFileName.CondaExtension) : [])
        {
            if (!PackageFileName.TryParse(Path.GetFileName(path), out var name, out var version, out _) || name != packageName || !Version.TryParse(version, out var parsed))
            {
                continue;
            }

            var key = (parsed, BuildNumber(path));
            if (newestKey is not { } best || parsed.CompareTo(best.Version) > 0 || (parsed.CompareTo(best.Version) == 0 && key.Item2 > best.BuildNumber))
            {
                (newest, newestKey) = (path, key);
            }
        }

        if (newest is null)
        {
            throw new FileNotFoundException($"the patch package '{packageName}' is not in {noarchFolder}: put its .conda there (rattler-index's layout) or leave out the patch package");
        }

        var member = $"{subdir}/patch_instructions.json";
        return PackageInfoReader.ReadPayload(newest, new HashSet<string> { member }).GetValueOrDefault(member);
    }

    private static long BuildNumber(string archive)
    {
        var index = PackageInfoReader.Read(archive, new HashSet<string> { PackageMetadata.IndexJson });
        if (!index.TryGetValue(PackageMetadata.IndexJson, out var json))
        {
            return 0;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("build_number", out var number) && number.TryGetInt64(out var value) ? value : 0;
    }
}
