namespace Krait.Conda.Channels;

/// <summary>
/// Hides the secrets of URLs: the password of <c>scheme://user:password@host</c> and the token of anaconda.org's
/// <c>…/t/&lt;token&gt;/…</c> path segment (conda's form, wherever it stands in the path). It works on the structure of
/// each URL and nothing else: text outside URLs, local paths (even one with a <c>t</c> folder) and <c>file://</c>
/// URLs are left exactly as they are, and a URL ends where white space or a quote does, so the rest of a message or
/// a recorded command line survives.
/// </summary>
public static class UrlRedaction
{
    public const string TokenMark = "<TOKEN>";
    public const string PasswordMark = "<PASSWORD>";

    /// <summary>Every URL in <paramref name="text"/> redacted (<see cref="RedactUrl"/>); everything else unchanged.</summary>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            return text;
        }

        var result = new System.Text.StringBuilder(text.Length);
        var copied = 0;
        for (; separator >= 0; separator = text.IndexOf("://", separator + 3, StringComparison.Ordinal))
        {
            var start = separator;
            while (start > copied && IsSchemeCharacter(text[start - 1]))
            {
                start--;
            }

            if (start == separator || !char.IsAsciiLetter(text[start]))
            {
                continue;
            }

            var end = text.AsSpan(separator).IndexOfAny(UrlEnds);
            end = end < 0 ? text.Length : separator + end;
            result.Append(text, copied, start - copied).Append(RedactUrl(text[start..end]));
            copied = end;
            separator = Math.Max(separator, end - 3);
        }

        return result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary><paramref name="url"/> with its password and token hidden; unchanged when it is not a URL with an authority or is a <c>file://</c> URL.</summary>
    public static string RedactUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0 || url.AsSpan(0, separator).Equals("file", StringComparison.OrdinalIgnoreCase))
        {
            return url;
        }

        var authorityStart = separator + 3;
        var pathStart = url.AsSpan(authorityStart).IndexOfAny("/?#");
        pathStart = pathStart < 0 ? url.Length : authorityStart + pathStart;
        var authority = url[authorityStart..pathStart];
        var at = authority.LastIndexOf('@');
        var colon = at < 0 ? -1 : authority.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && colon < at)
        {
            authority = $"{authority[..(colon + 1)]}{PasswordMark}{authority[at..]}";
        }

        var pathEnd = url.AsSpan(pathStart).IndexOfAny("?#");
        pathEnd = pathEnd < 0 ? url.Length : pathStart + pathEnd;
        var segments = url[pathStart..pathEnd].Split('/');
        for (var i = 0; i + 1 < segments.Length; i++)
        {
            if (segments[i] == "t")
            {
                segments[i + 1] = TokenMark;
                i++;
            }
        }

        return string.Concat(url.AsSpan(0, authorityStart), authority, string.Join('/', segments), url.AsSpan(pathEnd));
    }

    private static readonly System.Buffers.SearchValues<char> UrlEnds = System.Buffers.SearchValues.Create(" \t\r\n\"'<>`");

    private static bool IsSchemeCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.';
}
