using Krait.Conda.Platforms;
using Krait.Conda.Records;

namespace Krait.Index;

/// <summary>The names a channel folder is made of: subdir folders, package archives, and the files the index writes.</summary>
public static class ChannelLayout
{
    public const string Repodata = "repodata.json";
    public const string RepodataZst = "repodata.json.zst";
    public const string RepodataFromPackages = "repodata_from_packages.json";
    public const string ShardIndex = "repodata_shards.msgpack.zst";
    public const string ShardSuffix = ".msgpack.zst";
    public const string RunExports = "run_exports.json";
    public const string PatchInstructions = "patch_instructions.json";
    public const string ChannelData = "channeldata.json";

    public static bool IsConda(string fileName) => fileName.EndsWith(PackageFileName.CondaExtension, StringComparison.Ordinal);

    /// <summary>A package archive's name (never a dot-file: temporary files of writers are dot-files).</summary>
    public static bool IsArchive(string fileName) =>
        !fileName.StartsWith('.') && (IsConda(fileName) || fileName.EndsWith(PackageFileName.TarBz2Extension, StringComparison.Ordinal));

    /// <summary>A shard's file name: 64 lower-case hex digits and <see cref="ShardSuffix"/>.</summary>
    public static bool IsShard(string fileName) =>
        fileName.Length == 64 + ShardSuffix.Length && fileName.EndsWith(ShardSuffix, StringComparison.Ordinal)
        && fileName.AsSpan(0, 64).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>The subdir folders of a channel: every folder whose name is a subdir (CEP-26), and always <c>noarch</c>.</summary>
    public static List<string> Subdirs(string channelRoot)
    {
        var subdirs = new SortedSet<string>(StringComparer.Ordinal) { Platform.NoArch };
        if (Directory.Exists(channelRoot))
        {
            foreach (var folder in Directory.EnumerateDirectories(channelRoot))
            {
                var name = Path.GetFileName(folder);
                if (PackageNaming.IsValidSubdir(name))
                {
                    subdirs.Add(name);
                }
            }
        }

        return [.. subdirs];
    }
}
