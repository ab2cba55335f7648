using Krait.Conda.Channels;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Repodata.Parsing;

namespace Krait.Repodata.Channels;

/// <summary>
/// Loads the records a query needs from a channel: its platform subdir and <c>noarch</c>, fully or only for
/// some names (lazily). Local channels (paths and <c>file://</c> URLs) are read in place; remote ones through a
/// <see cref="Remote.RepodataFetcher"/>, which brings their repodata into the local cache first.
/// </summary>
public static class ChannelLoader
{
    /// <summary>
    /// The records of <paramref name="channel"/> for <paramref name="platform"/> and noarch, each stamped with the
    /// channel and its download URL. With <paramref name="names"/>, only the records of those names are read.
    /// A channel with neither subdir is an error; one of the two missing is treated as empty, like micromamba.
    /// </summary>
    public static IReadOnlyList<RepoData> Load(Channel channel, string platform, IReadOnlyCollection<string>? names = null, Remote.RepodataFetcher? remote = null)
    {
        var result = new List<RepoData>();
        foreach (var (path, subdir, origin) in Subdirs(channel, platform, remote))
        {
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

        return result;
    }

    /// <summary>The channel's platform and noarch repodata opened lazily (memory-mapped); the caller disposes them.</summary>
    public static IReadOnlyList<LazyRepodata> OpenLazy(Channel channel, string platform, Remote.RepodataFetcher? remote = null)
    {
        var opened = new List<LazyRepodata>();
        try
        {
            foreach (var (path, subdir, origin) in Subdirs(channel, platform, remote))
            {
                opened.Add(LazyRepodata.Open(path, subdir, origin));
            }
        }
        catch
        {
            opened.ForEach(o => o.Dispose());
            throw;
        }

        return opened;
    }

    private static List<(string Path, string Subdir, RecordOrigin Origin)> Subdirs(Channel channel, string platform, Remote.RepodataFetcher? remote)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var subdirs = SubdirsOf(platform);
        if (!channel.IsLocal)
        {
            return remote is null
                ? throw new ChannelNotFoundException($"channel {channel} is remote ({Channel.Redact(channel.BaseUrl)}), and no network access was given")
                : RemoteSubdirs(channel, subdirs, remote);
        }

        var found = new List<(string, string, RecordOrigin)>(subdirs.Length);
        foreach (var subdir in subdirs)
        {
            var path = Path.Combine(channel.LocalPath!, subdir, "repodata.json");
            if (File.Exists(path))
            {
                found.Add((path, subdir, RecordOrigin.Of(channel, subdir)));
            }
        }

        if (found.Count == 0)
        {
            var looked = string.Join(" or ", subdirs.Select(s => Path.Combine(s, "repodata.json")));
            var reason = Directory.Exists(channel.LocalPath) ? $"it has no {looked}" : "the folder does not exist";
            throw new ChannelNotFoundException($"channel not found: {channel.LocalPath} ({reason})");
        }

        return found;
    }

    private static List<(string Path, string Subdir, RecordOrigin Origin)> RemoteSubdirs(Channel channel, string[] subdirs, Remote.RepodataFetcher remote)
    {
        var found = new List<(string, string, RecordOrigin)>(subdirs.Length);
        foreach (var subdir in subdirs)
        {
            if (remote.Fetch(channel, subdir) is { } path)
            {
                found.Add((path, subdir, RecordOrigin.Of(channel, subdir)));
            }
        }

        return found.Count > 0 ? found : throw RemoteNotFound(channel, subdirs);
    }

    /// <summary>The subdirs a solve for <paramref name="platform"/> reads: it and noarch.</summary>
    internal static string[] SubdirsOf(string platform) => platform == Platform.NoArch ? [Platform.NoArch] : [platform, Platform.NoArch];

    internal static ChannelNotFoundException RemoteNotFound(Channel channel, string[] subdirs) =>
        new($"channel not found: {Channel.Redact(channel.BaseUrl)} has no {string.Join(" or ", subdirs.Select(s => $"{s}/repodata.json"))}");
}
