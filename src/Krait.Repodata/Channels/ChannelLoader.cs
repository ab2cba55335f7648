using Krait.Conda;

namespace Krait.Repodata;

/// <summary>
/// Loads the records a query needs from a channel: its platform subdir and <c>noarch</c>, fully or only for
/// some names (lazily). Local channels only for now: paths and <c>file://</c> URLs.
/// </summary>
public static class ChannelLoader
{
    /// <summary>
    /// The records of <paramref name="channel"/> for <paramref name="platform"/> and noarch, each stamped with the
    /// channel and its download URL. With <paramref name="names"/>, only the records of those names are read.
    /// A channel with neither subdir is an error; one of the two missing is treated as empty, like micromamba.
    /// </summary>
    public static IReadOnlyList<RepoData> Load(Channel channel, string platform, IReadOnlyCollection<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!channel.IsLocal)
        {
            throw new ChannelNotFoundException(
                $"channel {channel} is remote ({Channel.Redact(channel.BaseUrl)}); this Krait reads local channels only (a path like ./channel or a file:// URL)");
        }

        var subdirs = platform == Platform.NoArch ? new[] { Platform.NoArch } : [platform, Platform.NoArch];
        var result = new List<RepoData>(subdirs.Length);
        var looked = new List<string>();
        foreach (var subdir in subdirs)
        {
            var path = Path.Combine(channel.LocalPath!, subdir, "repodata.json");
            looked.Add(Path.Combine(subdir, "repodata.json"));
            if (!File.Exists(path))
            {
                continue;
            }

            var origin = new RecordOrigin(channel.Name, channel.SubdirUrl(subdir));
            if (names is null)
            {
                result.Add(RepodataParser.ParseFile(path, subdir, origin));
            }
            else
            {
                using var lazy = LazyRepodata.Open(path, subdir, origin);
                result.Add(lazy.Load(names));
            }
        }

        if (result.Count == 0)
        {
            var reason = Directory.Exists(channel.LocalPath) ? $"it has no {string.Join(" or ", looked)}" : "the folder does not exist";
            throw new ChannelNotFoundException($"channel not found: {channel.LocalPath} ({reason})");
        }

        return result;
    }
}
