using System.Text.Json;
using Krait.Conda.Specs;

namespace Krait.Server.Metadata;

/// <summary>How a channel follows an upstream channel (quetz's <c>mirror_channel_url</c> and <c>mirror_mode</c>).</summary>
public enum MirrorMode
{
    /// <summary>Repodata and packages are fetched from the upstream when asked for, verified, cached, and served from the cache afterwards.</summary>
    Proxy,

    /// <summary>The upstream's packages (those matching the filter) are copied into the channel on each synchronisation.</summary>
    Mirror,
}

/// <summary>A mirror or proxy channel's upstream URL, mode and (for a mirror) the MatchSpecs of the packages to copy (none: all).</summary>
public sealed record MirrorSettings(string Url, MirrorMode Mode, IReadOnlyList<string> Filter)
{
    public string ModeText => Mode == MirrorMode.Proxy ? "proxy" : "mirror";

    public string? FilterText => Filter.Count == 0 ? null : JsonSerializer.Serialize(Filter);

    public IReadOnlyList<MatchSpec> Specs => [.. Filter.Select(MatchSpec.Parse)];

    public static MirrorSettings? Of(ChannelRow channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.MirrorChannelUrl is not { Length: > 0 } url)
        {
            return null;
        }

        var filter = channel.MirrorFilter is { Length: > 0 } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
        return new MirrorSettings(url, channel.MirrorMode == "mirror" ? MirrorMode.Mirror : MirrorMode.Proxy, filter);
    }

    /// <summary>Checks what a request asks for; the message says what is wrong (<see cref="ArgumentException"/>).</summary>
    public static MirrorSettings Parse(string url, string? mode, IReadOnlyList<string>? filter)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new ArgumentException($"mirror_channel_url '{url}' is not an http(s) channel URL");
        }

        var parsedMode = mode switch
        {
            null or "proxy" => MirrorMode.Proxy,
            "mirror" => MirrorMode.Mirror,
            _ => throw new ArgumentException($"mirror_mode '{mode}' is neither 'proxy' nor 'mirror'"),
        };
        foreach (var spec in filter ?? [])
        {
            try
            {
                MatchSpec.Parse(spec);
            }
            catch (InvalidMatchSpecException e)
            {
                throw new ArgumentException($"the mirror filter '{spec}' is not a MatchSpec: {e.Message}", e);
            }
        }

        return new MirrorSettings(uri.ToString().TrimEnd('/'), parsedMode, filter ?? []);
    }
}
