using Krait.Conda.Platforms;
using Krait.Files;

namespace Krait.Index;

/// <summary>
/// Makes a folder of packages a channel (<c>krait index DIR</c>): every subdir folder (or the chosen ones, and always
/// <c>noarch</c>, which clients require even when empty) is indexed by <see cref="SubdirIndexer"/>, then
/// <c>DIR/channeldata.json</c> is written from all of them. Incremental through <c>DIR/.cache/</c>; every file is
/// replaced atomically.
/// </summary>
public static class ChannelIndexer
{
    public static IndexReport Index(string channelRoot, IndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(channelRoot);
        options ??= new IndexOptions();
        channelRoot = Path.GetFullPath(channelRoot);
        if (!Directory.Exists(channelRoot))
        {
            throw new DirectoryNotFoundException($"{channelRoot} is not a folder; give the folder that holds the subdir folders (linux-64/, noarch/…)");
        }

        foreach (var subdir in options.Subdirs)
        {
            if (!Conda.Records.PackageNaming.IsValidSubdir(subdir))
            {
                throw new ArgumentException($"'{subdir}' is not a subdir name (such as linux-64, osx-arm64 or noarch)");
            }
        }

        Directory.CreateDirectory(Path.Combine(channelRoot, Platform.NoArch));
        var found = ChannelLayout.Subdirs(channelRoot);
        var chosen = options.Subdirs.Count == 0 ? found : [.. options.Subdirs.Append(Platform.NoArch).Distinct().Order(StringComparer.Ordinal)];
        var skipped = new List<SkippedArchive>();
        var reports = new List<SubdirReport>();
        var views = new List<SubdirView>();
        foreach (var subdir in found.Union(chosen).Order(StringComparer.Ordinal))
        {
            var indexer = new SubdirIndexer(channelRoot, subdir, options);
            if (chosen.Contains(subdir))
            {
                reports.Add(indexer.Run(skipped));
            }
            else
            {
                indexer.LoadView();
            }

            views.Add(indexer.View!);
        }

        AtomicFile.Write(Path.Combine(channelRoot, ChannelLayout.ChannelData), ChannelData.Build(views));
        return new IndexReport(reports, skipped);
    }
}
