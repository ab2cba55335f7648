using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Parsing;
using Krait.Configuration;

namespace Krait.Cli;

/// <summary>
/// The channels a command uses, as conda picks them: the <c>-c</c> channels first, then the configured ones
/// unless <c>--override-channels</c>; <c>defaults</c> stands for <c>default_channels</c>.
/// </summary>
public static class ChannelSelection
{
    private static readonly string[] CondaDefaultChannels = ["https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r"];

    /// <param name="paths">What a channel given as a relative path is relative to.</param>
    public static IReadOnlyList<Channel> Resolve(IReadOnlyList<string> commandLine, bool overrideChannels, CondaConfig config, PathContext paths)
    {
        if (overrideChannels && commandLine.Count == 0)
        {
            throw new KraitException("ArgumentError", "--override-channels needs at least one -c CHANNEL");
        }

        var written = overrideChannels ? commandLine : [.. commandLine, .. config.Channels];
        var channels = new List<Channel>();
        foreach (var text in written)
        {
            if (text == "defaults")
            {
                var defaults = config.DefaultChannels.Count > 0 ? config.DefaultChannels : CondaDefaultChannels;
                channels.AddRange(defaults.Select(d => Channel.Parse(d, config.ChannelAlias, config.CustomChannels, paths)));
            }
            else
            {
                var channel = Channel.Parse(text, config.ChannelAlias, config.CustomChannels, paths);
                if (!channel.IsLocal && !text.Contains("://", StringComparison.Ordinal) && Directory.Exists(Path.Combine(paths.WorkingDirectory, text)))
                {
                    // conda reads a bare name as a channel on channel_alias, even when a folder of that name is right here.
                    Console.Error.WriteLine($"note: -c {text} is the channel {Channel.Redact(channel.BaseUrl)}; for the folder {text} here, write ./{text}");
                }

                channels.Add(channel);
            }
        }

        if (channels.Count == 0)
        {
            throw new KraitException(
                "NoChannelsConfiguredError",
                "no channels to search: no -c CHANNEL was given and no .condarc lists any",
                "pass -c conda-forge (or a local channel: -c ./examples/channel, -c file:///path), or add 'channels: [conda-forge]' to ~/.condarc");
        }

        return channels.DistinctBy(c => c.BaseUrl, StringComparer.Ordinal).ToList();
    }
}
