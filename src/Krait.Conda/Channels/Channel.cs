using Krait.Conda.Parsing;

namespace Krait.Conda.Channels;

/// <summary>
/// A conda channel as a user writes it: a name (<c>conda-forge</c>, <c>bioconda/label/dev</c>) under the
/// channel alias, a URL (with an optional <c>/t/&lt;token&gt;/</c> and platform at the end), a <c>file://</c>
/// URL or a path. Paths are recognised like conda does: they start with <c>/</c>, <c>.</c>, <c>~</c> or a
/// drive letter; anything else is a name. Tokens are kept for requests but never shown.
/// </summary>
public sealed class Channel
{
    public const string DefaultChannelAlias = "https://conda.anaconda.org";

    private Channel(string baseUrl, string name, string? token, string? platform, string? localPath, string? userInfo = null)
    {
        UserInfo = userInfo;
        BaseUrl = baseUrl;
        Name = name;
        Token = token;
        Platform = platform;
        LocalPath = localPath;
    }

    /// <summary>The channel's URL without token, platform or trailing slash, e.g. <c>https://conda.anaconda.org/conda-forge</c> or <c>file:///srv/chan</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>How conda displays the channel: the name for channels under the alias, else the URL.</summary>
    public string Name { get; }

    /// <summary>The token from a <c>/t/&lt;token&gt;/</c> URL; used for requests, never printed.</summary>
    public string? Token { get; }

    /// <summary>The <c>user:password</c> of a <c>https://user:password@host/…</c> URL (basic auth); used for requests, never printed or stored.</summary>
    public string? UserInfo { get; }

    /// <summary>The platform subdir when the URL ended with one (<c>…/conda-forge/linux-64</c>).</summary>
    public string? Platform { get; }

    /// <summary>The folder of a local channel; null for remote ones.</summary>
    public string? LocalPath { get; }

    public bool IsLocal => LocalPath is not null;

    /// <summary>Parses a channel; a relative path or <c>~</c> is resolved by <paramref name="paths"/> (refused without one).</summary>
    public static Channel Parse(string text, string channelAlias = DefaultChannelAlias, PathContext? paths = null) => Parse(text, channelAlias, null, paths);

    /// <summary>
    /// As <see cref="Parse(string, string, PathContext?)"/>, with conda's <c>custom_channels</c>: a name whose first part is
    /// a key there lives under that key's URL instead of the channel alias.
    /// </summary>
    public static Channel Parse(string text, string channelAlias, IReadOnlyDictionary<string, string>? customChannels, PathContext? paths = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.Length == 0)
        {
            throw new ArgumentException("empty channel: give a name (conda-forge), a URL or a path (./channel)", nameof(text));
        }

        if (value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var fileUri) || !fileUri.IsFile || fileUri.Host is not ("" or "localhost"))
            {
                throw new ArgumentException($"invalid channel URL '{value}': expected file:///absolute/path", nameof(text));
            }

            return FromLocalPath(fileUri.LocalPath);
        }

        if (value.Contains("://", StringComparison.Ordinal))
        {
            return FromUrl(value, channelAlias);
        }

        if (LooksLikePath(value))
        {
            return FromLocalPath(PathContext.Resolve(value, paths, "the channel"));
        }

        if (value.AsSpan().IndexOfAny(" \t\\\"'<>|") >= 0)
        {
            throw new ArgumentException($"invalid channel name '{value}': names are like conda-forge or bioconda/label/dev", nameof(text));
        }

        var trimmed = value.Trim('/');
        var (name, platform) = SplitPlatform(trimmed);
        var first = name.Split('/')[0];
        if (customChannels is not null && customChannels.TryGetValue(first, out var customBase))
        {
            var custom = FromUrl($"{customBase.TrimEnd('/')}/{name}", channelAlias);
            return new Channel(custom.BaseUrl, name, custom.Token, platform ?? custom.Platform, null, custom.UserInfo);
        }

        return new Channel($"{channelAlias.TrimEnd('/')}/{name}", name, null, platform, null);
    }

    /// <summary>The URL of one platform subdir, with the token when <paramref name="withToken"/> (for requests only).</summary>
    public string SubdirUrl(string subdir, bool withToken = false)
    {
        if (withToken && (Token is not null || UserInfo is not null))
        {
            var schemeEnd = BaseUrl.IndexOf("://", StringComparison.Ordinal) + 3;
            var hostEnd = BaseUrl.IndexOf('/', schemeEnd);
            var host = hostEnd < 0 ? BaseUrl : BaseUrl[..hostEnd];
            var path = hostEnd < 0 ? string.Empty : BaseUrl[hostEnd..];
            if (UserInfo is not null)
            {
                host = $"{host[..schemeEnd]}{UserInfo}@{host[schemeEnd..]}";
            }

            return Token is null ? $"{host}{path}/{subdir}" : $"{host}/t/{Token}{path}/{subdir}";
        }

        return $"{BaseUrl}/{subdir}";
    }

    /// <summary>The channel for display: never contains the token.</summary>
    public override string ToString() => Name;

    /// <summary>Hides the tokens and passwords of the URLs in <paramref name="text"/> (a URL, a message, a command line): <see cref="UrlRedaction.RedactText"/>.</summary>
    public static string Redact(string text) => UrlRedaction.RedactText(text);

    private static bool LooksLikePath(string value) =>
        value[0] is '/' or '.' or '~' or '\\'
        || (value.Length >= 2 && char.IsAsciiLetter(value[0]) && value[1] == ':');

    private static Channel FromLocalPath(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var (_, platform) = SplitPlatform(full.Replace('\\', '/'));
        if (platform is not null)
        {
            full = full[..^(platform.Length + 1)];
        }

        var url = new Uri(full).AbsoluteUri.TrimEnd('/');
        return new Channel(url, url, null, platform, full);
    }

    private static Channel FromUrl(string value, string channelAlias)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"invalid channel URL '{Redact(value)}'", nameof(value));
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        string? token = null;
        if (path.StartsWith("/t/", StringComparison.Ordinal))
        {
            var end = path.IndexOf('/', 3);
            token = end < 0 ? path[3..] : path[3..end];
            path = end < 0 ? string.Empty : path[end..];
            if (token.Length == 0)
            {
                throw new ArgumentException($"invalid channel URL '{Redact(value)}': empty token after /t/", nameof(value));
            }
        }

        var (trimmedPath, platform) = SplitPlatform(path);

        // The URL keeps no user or password: they go with requests only (SubdirUrl withToken), never into records.
        var authority = $"{uri.Scheme}://{uri.Authority}";
        var baseUrl = authority + trimmedPath;
        var alias = channelAlias.TrimEnd('/');
        var name = baseUrl.StartsWith(alias + "/", StringComparison.Ordinal) ? baseUrl[(alias.Length + 1)..] : baseUrl;
        return new Channel(baseUrl, name, token, platform, null, string.IsNullOrEmpty(uri.UserInfo) ? null : uri.UserInfo);
    }

    private static (string Path, string? Subdir) SplitPlatform(string path)
    {
        var slash = path.LastIndexOf('/');
        var last = path[(slash + 1)..];
        return slash >= 0 && Platforms.Platform.IsKnown(last) ? (path[..slash], last) : (path, null);
    }
}
