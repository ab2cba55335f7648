using System.Text;
using Krait.Conda.Parsing;
using Krait.Conda.Records;
using Krait.Conda.Versions;

namespace Krait.Conda.Specs;

/// <summary>
/// A conda package query (CEP-29): <c>channel/subdir::name version build[key=value,…]</c> in all of conda's
/// spellings (<c>numpy=1.2=py36_0</c>, <c>numpy&gt;=1.2,&lt;2</c>, <c>numpy[version='1.2.*',build=py36*]</c>, a
/// package URL…). Everything is parsed once so that <see cref="Matches"/> allocates nothing.
/// </summary>
public sealed class MatchSpec
{
    internal MatchSpec(MatchSpecParts parts, string original)
    {
        Original = original;
        Name = parts.Name;
        Version = parts.Version;
        Build = parts.Build;
        BuildNumber = parts.BuildNumber;
        Channel = parts.Channel;
        Subdir = parts.Subdir;
        Md5 = parts.Md5;
        Sha256 = parts.Sha256;
        FileName = parts.FileName;
        Url = parts.Url;
        License = parts.License;
        LicenseFamily = parts.LicenseFamily;
        TrackFeatures = parts.TrackFeatures;
        Features = parts.Features;
    }

    /// <summary>A spec made from its parts, with no text to parse (a name, a pin of an installed build).</summary>
    public MatchSpec(StringMatcher name, VersionSpec? version = null, StringMatcher? build = null)
        : this(new MatchSpecParts { Name = name, Version = version, Build = build }, string.Empty) => Original = ToString();

    /// <summary>The spec that only <paramref name="record"/>'s name, version and build satisfy (<paramref name="withBuild"/>: else any build of that version).</summary>
    public static MatchSpec Pin(PackageRecord record, bool withBuild = true)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new MatchSpec(StringMatcher.Exact(record.Name), VersionConstraint.Exactly(record.ParsedVersion), withBuild ? StringMatcher.Exact(record.Build) : null);
    }

    /// <summary>The spec as the user wrote it.</summary>
    public string Original { get; }

    /// <summary>The package name (lowercase), possibly a glob such as <c>*</c> or <c>py*</c>.</summary>
    public StringMatcher Name { get; }

    public VersionSpec? Version { get; }

    public StringMatcher? Build { get; }

    public BuildNumberSpec? BuildNumber { get; }

    /// <summary>The channel the record must come from (name or URL), or null; <c>*</c> means any.</summary>
    public string? Channel { get; }

    public string? Subdir { get; }

    public string? Md5 { get; }

    public string? Sha256 { get; }

    public StringMatcher? FileName { get; }

    public string? Url { get; }

    public StringMatcher? License { get; }

    public string? LicenseFamily { get; }

    /// <summary>The exact set of <c>track_features</c> a record must have, sorted; null when not constrained.</summary>
    public IReadOnlyList<string>? TrackFeatures { get; }

    /// <summary>The exact set of legacy <c>features</c> a record must have, sorted; null when not constrained.</summary>
    public IReadOnlyList<string>? Features { get; }

    /// <summary>True when the name is a plain package name (not a glob or regex), so the query can go by name.</summary>
    public bool IsNameExact => Name.IsExact;

    /// <summary>The channel when it names exactly one channel (not absent and not <c>*</c>).</summary>
    public string? ExactChannel => Channel is null or "*" ? null : Channel;

    public static MatchSpec Parse(string text) => MatchSpecParser.Parse(text);

    /// <summary>Parses a spec that may be a package path (<c>./pkg.conda</c>, <c>~/pkg.conda</c>), resolved by <paramref name="paths"/>.</summary>
    public static MatchSpec Parse(string text, PathContext? paths) => MatchSpecParser.Parse(text, paths);

    /// <summary>
    /// The package name a dependency string starts with (<c>numpy &gt;=1.20</c> → <c>numpy</c>, after any
    /// <c>channel::</c>), without parsing the rest: for grouping and ordering records by what they depend on.
    /// </summary>
    public static string NameOf(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = spec.AsSpan().Trim();
        var channelEnd = text.LastIndexOf("::");
        if (channelEnd >= 0)
        {
            text = text[(channelEnd + 2)..];
        }

        var end = text.IndexOfAny(" =<>!~[");
        return (end < 0 ? text : text[..end]).ToString();
    }

    /// <summary>The same spec with another name pattern, e.g. conda's fallback search for <c>*name*</c>.</summary>
    public MatchSpec WithName(string namePattern)
    {
        var parts = new MatchSpecParts
        {
            Name = StringMatcher.Parse(namePattern.ToLowerInvariant()),
            Version = Version,
            Build = Build,
            BuildNumber = BuildNumber,
            Channel = Channel,
            Subdir = Subdir,
            Md5 = Md5,
            Sha256 = Sha256,
            FileName = FileName,
            Url = Url,
            License = License,
            LicenseFamily = LicenseFamily,
            TrackFeatures = TrackFeatures?.ToArray(),
            Features = Features?.ToArray(),
        };
        return new MatchSpec(parts, Original);
    }

    public bool Matches(PackageRecord record)
    {
        if (!Name.Matches(record.Name))
        {
            return false;
        }

        if (Version is not null && !Version.MatchesAll)
        {
            if (!record.TryGetParsedVersion(out var version) || !Version.Matches(version))
            {
                return false;
            }
        }

        return (Build is null || Build.Matches(record.Build))
            && (BuildNumber is null || BuildNumber.Matches(record.BuildNumber))
            && (ExactChannel is null || ChannelMatches(record))
            && (Subdir is null || string.Equals(Subdir, record.Subdir, StringComparison.Ordinal))
            && (Md5 is null || string.Equals(Md5, record.Md5, StringComparison.OrdinalIgnoreCase))
            && (Sha256 is null || string.Equals(Sha256, record.Sha256, StringComparison.OrdinalIgnoreCase))
            && (FileName is null || FileName.Matches(record.FileName))
            && (Url is null || string.Equals(Url, record.Url, StringComparison.Ordinal))
            && (License is null || License.Matches(record.License))
            && (LicenseFamily is null || string.Equals(LicenseFamily, record.LicenseFamily, StringComparison.OrdinalIgnoreCase))
            && (TrackFeatures is null || SameFeatures(TrackFeatures, record.TrackFeatureList))
            && (Features is null || SameFeatures(Features, record.FeatureList));
    }

    /// <summary>conda's canonical form, e.g. <c>conda-forge::numpy[version='&gt;=1.2']</c> or <c>numpy==1.2=py36_0</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        var brackets = new List<string>();
        if (ExactChannel is not null)
        {
            builder.Append(ExactChannel);
            if (Subdir is not null)
            {
                builder.Append('/').Append(Subdir);
            }
        }
        else if (Subdir is not null)
        {
            brackets.Add($"subdir={Subdir}");
        }

        builder.Append(builder.Length > 0 ? "::" : string.Empty).Append(Name.Text);
        var versionExact = false;
        if (Version is not null)
        {
            var version = Version.ToString()!;
            if (version.AsSpan().IndexOfAny("><$^|,") >= 0)
            {
                brackets.Add($"version='{version}'");
            }
            else if (version.StartsWith("!=", StringComparison.Ordinal) || version.StartsWith("~=", StringComparison.Ordinal))
            {
                if (Build is not null)
                {
                    brackets.Add($"version='{version}'");
                }
                else
                {
                    builder.Append(version);
                }
            }
            else if (version.EndsWith(".*", StringComparison.Ordinal))
            {
                builder.Append('=').Append(version.AsSpan(0, version.Length - 2));
            }
            else if (version == "*")
            {
                // A wildcard-only version adds nothing.
            }
            else if (version.EndsWith('*'))
            {
                builder.Append('=').Append(version.AsSpan(0, version.Length - 1));
            }
            else if (version.StartsWith("==", StringComparison.Ordinal))
            {
                builder.Append(version);
                versionExact = true;
            }
            else
            {
                builder.Append("==").Append(version);
                versionExact = true;
            }
        }

        if (Build is not null)
        {
            var build = Build.Text;
            if (build.AsSpan().IndexOfAny("><$^|,") >= 0)
            {
                brackets.Add($"build='{build}'");
            }
            else if (build.Contains('*', StringComparison.Ordinal) || !versionExact)
            {
                brackets.Add($"build={build}");
            }
            else
            {
                builder.Append('=').Append(build);
            }
        }

        AddBracket(brackets, "build_number", BuildNumber?.Text);
        AddBracket(brackets, "track_features", TrackFeatures is null ? null : string.Join(' ', TrackFeatures));
        AddBracket(brackets, "features", Features is null ? null : string.Join(' ', Features));
        if (ExactChannel is null)
        {
            AddBracket(brackets, "url", Url);
        }

        AddBracket(brackets, "md5", Md5);
        AddBracket(brackets, "sha256", Sha256);
        AddBracket(brackets, "license", License?.Text);
        AddBracket(brackets, "license_family", LicenseFamily);
        if (Url is null)
        {
            AddBracket(brackets, "fn", FileName?.Text);
        }

        if (brackets.Count > 0)
        {
            builder.Append('[').AppendJoin(',', brackets).Append(']');
        }

        return builder.ToString();
    }

    private static void AddBracket(List<string> brackets, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        brackets.Add(value.AsSpan().IndexOfAny(", =") >= 0 ? $"{key}='{value}'" : $"{key}={value}");
    }

    private bool ChannelMatches(PackageRecord record)
    {
        var recordChannel = record.Channel;
        if (recordChannel is null)
        {
            return false;
        }

        var wanted = ExactChannel!.TrimEnd('/');
        var actual = recordChannel.TrimEnd('/');
        if (string.Equals(wanted, actual, StringComparison.Ordinal))
        {
            return true;
        }

        // A channel name matches a channel URL that ends with it: "conda-forge" ~ "https://conda.anaconda.org/conda-forge".
        return actual.Length > wanted.Length
            && actual.EndsWith(wanted, StringComparison.Ordinal)
            && actual[actual.Length - wanted.Length - 1] == '/';
    }

    private static bool SameFeatures(IReadOnlyList<string> wanted, IReadOnlyList<string> actual)
    {
        if (wanted.Count != actual.Count)
        {
            return false;
        }

        foreach (var feature in wanted)
        {
            var found = false;
            foreach (var candidate in actual)
            {
                if (string.Equals(feature, candidate, StringComparison.Ordinal))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
