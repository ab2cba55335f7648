using Krait.Conda.Parsing;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Conda.Versions;

namespace Krait.Conda.Specs;

/// <summary>The fields of a spec while it is being parsed.</summary>
internal sealed class MatchSpecParts
{
    public StringMatcher Name { get; set; } = StringMatcher.Parse("*");

    public VersionSpec? Version { get; set; }

    public StringMatcher? Build { get; set; }

    public BuildNumberSpec? BuildNumber { get; set; }

    public string? Channel { get; set; }

    public string? Subdir { get; set; }

    public string? Md5 { get; set; }

    public string? Sha256 { get; set; }

    public StringMatcher? FileName { get; set; }

    public string? Url { get; set; }

    public StringMatcher? License { get; set; }

    public string? LicenseFamily { get; set; }

    public string[]? TrackFeatures { get; set; }

    public string[]? Features { get; set; }
}

/// <summary>
/// conda's MatchSpec string grammar, step by step as conda applies it: comment, package URL, the bracket
/// section, the channel prefix, the name, then version and build.
/// </summary>
internal static partial class MatchSpecParser
{
    private static readonly string[] PackageExtensions = [".conda", ".tar.bz2"];

    public static MatchSpec Parse(string input, PathContext? paths = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parts = new MatchSpecParts();
        var text = input;
        var comment = text.IndexOf('#', StringComparison.Ordinal);
        if (comment >= 0)
        {
            text = text[..comment];
        }

        var start = text.Length - text.TrimStart().Length;
        text = text.Trim();
        if (text.Length == 0)
        {
            throw new InvalidMatchSpecException(input, 0, "empty spec");
        }

        if (text.EndsWith('@'))
        {
            // Legacy "feature@" spelling: any package that tracks the feature.
            parts.TrackFeatures = [text[..^1]];
            return new MatchSpec(parts, input);
        }

        if (IsPackageFile(text))
        {
            ParsePackageLocation(input, text, parts, paths);
            return new MatchSpec(parts, input);
        }

        var brackets = ExtractBrackets(input, ref text, start);
        var channelEnd = text.LastIndexOf("::", StringComparison.Ordinal);
        if (channelEnd >= 0)
        {
            SetChannel(parts, text[..channelEnd].Trim());
            start += channelEnd + 2;
            text = text[(channelEnd + 2)..];
        }
        else if (text.Contains(':', StringComparison.Ordinal))
        {
            throw new InvalidMatchSpecException(input, start + text.IndexOf(':', StringComparison.Ordinal), "a channel is separated from the name by '::'");
        }

        var nameLength = 0;
        while (nameLength < text.Length && text[nameLength] is not (' ' or '=' or '<' or '>' or '!' or '~'))
        {
            nameLength++;
        }

        var name = text[..nameLength].Trim();
        if (name.Length == 0)
        {
            throw new InvalidMatchSpecException(input, start, "no package name found");
        }

        parts.Name = ParseName(input, name.ToLowerInvariant(), start);
        var rest = text[nameLength..].Trim();
        if (rest.Length > 0)
        {
            var restStart = start + text.IndexOf(rest, nameLength, StringComparison.Ordinal);
            ParseVersionAndBuild(input, rest, restStart, parts);
        }

        foreach (var (key, value, at) in brackets)
        {
            ApplyBracket(input, parts, key, value, at);
        }

        return new MatchSpec(parts, input);
    }

    private static bool IsPackageFile(string text)
    {
        foreach (var extension in PackageExtensions)
        {
            if (text.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && !text.Contains('[', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A spec that is a package URL or path: the channel, subdir, name, version and build come from the location.</summary>
    private static void ParsePackageLocation(string input, string text, MatchSpecParts parts, PathContext? paths)
    {
        string url;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            url = text;
        }
        else
        {
            url = new Uri(PathContext.Resolve(text, paths, "the package")).AbsoluteUri;
        }

        var slash = url.LastIndexOf('/');
        var fileName = Uri.UnescapeDataString(url[(slash + 1)..]);
        parts.Url = url;
        parts.FileName = StringMatcher.Parse(fileName);
        if (!PackageFileName.TryParse(fileName, out var name, out var version, out var build))
        {
            throw new InvalidMatchSpecException(input, 0, $"the package file name '{PackageNaming.Shown(fileName)}' is not <name>-<version>-<build>.conda or .tar.bz2");
        }

        parts.Name = StringMatcher.Parse(name.ToLowerInvariant());
        parts.Version = VersionSpec.Parse("==" + version);
        parts.Build = StringMatcher.Parse(build);
        var folder = url[..Math.Max(slash, 0)];
        var subdirSlash = folder.LastIndexOf('/');
        var subdir = folder[(subdirSlash + 1)..];
        if (Platform.IsKnown(subdir))
        {
            parts.Subdir = subdir;
            parts.Channel = folder[..subdirSlash];
        }
    }

    /// <summary>Cuts the last <c>[...]</c> section off the spec and splits it into key/value pairs.</summary>
    private static List<(string Key, string Value, int At)> ExtractBrackets(string input, ref string text, int start)
    {
        var pairs = new List<(string, string, int)>();
        var open = text.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            if (text.Contains(']', StringComparison.Ordinal))
            {
                throw new InvalidMatchSpecException(input, start + text.IndexOf(']', StringComparison.Ordinal), "']' without '['");
            }

            return pairs;
        }

        var close = text.LastIndexOf(']');
        if (close < open)
        {
            throw new InvalidMatchSpecException(input, start + open, "unclosed '['");
        }

        if (text.IndexOf('[', open + 1) is var second && second >= 0 && second < close && !IsInsideQuotes(text, open + 1, second))
        {
            throw new InvalidMatchSpecException(input, start + second, "multiple bracket sections are not allowed");
        }

        var trailing = text[(close + 1)..].Trim();
        if (trailing.Length > 0)
        {
            throw new InvalidMatchSpecException(input, start + close + 1, $"unexpected '{trailing}' after the bracket section");
        }

        var body = text[(open + 1)..close];
        var bodyStart = start + open + 1;
        var i = 0;
        while (i < body.Length)
        {
            while (i < body.Length && body[i] is ' ' or ',')
            {
                i++;
            }

            if (i >= body.Length)
            {
                break;
            }

            var keyStart = i;
            while (i < body.Length && (char.IsAsciiLetterOrDigit(body[i]) || body[i] is '_' or '-'))
            {
                i++;
            }

            var key = body[keyStart..i];
            while (i < body.Length && body[i] == ' ')
            {
                i++;
            }

            if (key.Length == 0 || i >= body.Length || body[i] != '=')
            {
                throw new InvalidMatchSpecException(input, bodyStart + keyStart, "expected key=value in brackets");
            }

            i++;
            while (i < body.Length && body[i] == ' ')
            {
                i++;
            }

            string value;
            var valueStart = i;
            if (i < body.Length && body[i] is '\'' or '"')
            {
                var quote = body[i];
                var end = body.IndexOf(quote, i + 1);
                if (end < 0)
                {
                    throw new InvalidMatchSpecException(input, bodyStart + i, $"unclosed quote {quote} in brackets");
                }

                value = body[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                while (i < body.Length && body[i] is not (',' or ' '))
                {
                    i++;
                }

                value = body[valueStart..i];
            }

            if (value.Length == 0)
            {
                throw new InvalidMatchSpecException(input, bodyStart + keyStart, $"no value for '{key}' in brackets");
            }

            pairs.Add((key, value, bodyStart + valueStart));
        }

        text = text[..open];
        return pairs;
    }

    private static bool IsInsideQuotes(string text, int from, int position)
    {
        var quote = '\0';
        for (var i = from; i < position; i++)
        {
            if (quote == '\0' && text[i] is '\'' or '"')
            {
                quote = text[i];
            }
            else if (text[i] == quote)
            {
                quote = '\0';
            }
        }

        return quote != '\0';
    }

    private static void SetChannel(MatchSpecParts parts, string channel)
    {
        if (channel.Length == 0)
        {
            return;
        }

        var slash = channel.LastIndexOf('/');
        if (slash > 0 && Platform.IsKnown(channel[(slash + 1)..]))
        {
            parts.Subdir = channel[(slash + 1)..];
            channel = channel[..slash];
        }

        parts.Channel = channel;
    }

    private static StringMatcher ParseName(string input, string name, int at)
    {
        if (!name.Contains('*', StringComparison.Ordinal) && !(name.StartsWith('^') && name.EndsWith('$')))
        {
            var invalid = name.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789._-");
            if (invalid >= 0)
            {
                throw new InvalidMatchSpecException(input, at + invalid, $"package name contains an invalid character '{name[invalid]}'");
            }

            if (!PackageNaming.IsValidName(name) && !PackageNaming.IsValidVirtualName(name))
            {
                throw new InvalidMatchSpecException(input, at, $"invalid package name '{name}' (CEP-26: letters, digits and single '.', '-', '_' between them)");
            }
        }

        try
        {
            return StringMatcher.Parse(name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidMatchSpecException(input, at, $"invalid name pattern: {e.Message}", e);
        }
    }

    /// <summary>
    /// Splits "version build" (or "version=build") where the separator is not part of an operator and the
    /// build holds no operator characters, then applies conda's "=1.2 means 1.2.*" translation.
    /// </summary>
    private static void ParseVersionAndBuild(string input, string rest, int at, MatchSpecParts parts)
    {
        if (rest.Contains('[', StringComparison.Ordinal))
        {
            throw new InvalidMatchSpecException(input, at + rest.IndexOf('[', StringComparison.Ordinal), "multiple bracket sections are not allowed");
        }

        string version = rest;
        string? build = null;
        for (var i = 1; i < rest.Length; i++)
        {
            if (rest[i] is not (' ' or '=') || rest[i - 1] is '=' or '!' or '|' or ',' or '<' or '>' or '~' or ' ')
            {
                continue;
            }

            var candidate = rest[(i + 1)..].Trim();
            if (candidate.Length > 0 && candidate.AsSpan().IndexOfAny("-=,|<>~") < 0)
            {
                version = rest[..i];
                build = candidate;
                break;
            }
        }

        if (build is not null && build.Contains(' ', StringComparison.Ordinal))
        {
            throw new InvalidMatchSpecException(input, at + rest.IndexOf(build, StringComparison.Ordinal), $"unexpected text '{build}': expected 'name [version [build]]'");
        }

        version = version.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (version.Length > 1 && version[0] == '=' && version[1] is '<' or '>' or '!' or '~')
        {
            // conda quietly reads "=>1.2" as ">1.2*"; that is always a typo, so Krait says so.
            throw new InvalidMatchSpecException(input, at, $"invalid operator '{version[..2]}' (did you mean '{version[1]}='?)");
        }

        version = Sanitize(version, build);
        if (version is "=" or "==")
        {
            if (build is null && rest.Trim() == "=")
            {
                // conda accepts "numpy=" as "any version".
                return;
            }

            throw new InvalidMatchSpecException(input, at, $"'{version}' needs a version after it");
        }

        parts.Version = ParseVersion(input, version, at);
        if (build is not null)
        {
            parts.Build = StringMatcher.Parse(build);
        }
    }

    /// <summary>conda's translation: <c>==1.2</c> → <c>1.2</c> (exact), <c>=1.2</c> → <c>1.2*</c> (prefix) unless a build follows.</summary>
    private static string Sanitize(string version, string? build)
    {
        if (version is "=" or "==" || !version.StartsWith('='))
        {
            return version;
        }

        var withoutEquals = version.TrimStart('=');
        if (version.StartsWith("==", StringComparison.Ordinal) && build is null)
        {
            return withoutEquals;
        }

        if (withoutEquals.AsSpan().IndexOfAny("=,|") < 0)
        {
            return build is null && !withoutEquals.EndsWith('*') ? withoutEquals + "*" : withoutEquals;
        }

        return version;
    }

    private static VersionSpec ParseVersion(string input, string version, int at)
    {
        try
        {
            return VersionSpec.Parse(version);
        }
        catch (InvalidVersionSpecException e)
        {
            throw new InvalidMatchSpecException(input, at + Math.Min(e.Position, Math.Max(0, version.Length - 1)), e.Reason, e);
        }
    }

    private static void ApplyBracket(string input, MatchSpecParts parts, string key, string value, int at)
    {
        switch (key)
        {
            case "version":
                parts.Version = ParseVersion(input, Sanitize(value.Replace(" ", string.Empty, StringComparison.Ordinal), null), at);
                break;
            case "build":
                parts.Build = StringMatcher.Parse(value);
                break;
            case "build_number":
                try
                {
                    parts.BuildNumber = BuildNumberSpec.Parse(value);
                }
                catch (FormatException e)
                {
                    throw new InvalidMatchSpecException(input, at, e.Message, e);
                }

                break;
            case "channel":
                SetChannel(parts, value);
                break;
            case "subdir":
                parts.Subdir = value;
                break;
            case "md5":
                parts.Md5 = value;
                break;
            case "sha256":
                parts.Sha256 = value;
                break;
            case "fn":
                parts.FileName = StringMatcher.Parse(value);
                break;
            case "url":
                parts.Url = value;
                break;
            case "license":
                parts.License = StringMatcher.Parse(value);
                break;
            case "license_family":
                parts.LicenseFamily = value;
                break;
            case "track_features":
                parts.TrackFeatures = SortedFeatures(value);
                break;
            case "features":
                parts.Features = SortedFeatures(value);
                break;
            case "name":
                // conda ignores a bracket name when the spec has one outside (it would hide what gets installed).
                break;
            default:
                throw new InvalidMatchSpecException(input, at, $"unknown key '{key}' in brackets");
        }
    }

    private static string[] SortedFeatures(string value)
    {
        var features = PackageRecord.SplitFeatures(value);
        Array.Sort(features, StringComparer.Ordinal);
        return features;
    }
}
