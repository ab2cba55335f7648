using Krait.TestSupport;

namespace Krait.Repodata.Tests;

/// <summary>Every repodata.json of the shared real channels, as (channel/subdir, path) pairs for theories.</summary>
public static class SharedRepodata
{
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(RepoPaths.Channels, "repodata.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var file in Files())
        {
            data.Add(Path.GetRelativePath(RepoPaths.Channels, file));
        }

        return data;
    }

    public static string PathOf(string relative) => Path.Combine(RepoPaths.Channels, relative);
}
