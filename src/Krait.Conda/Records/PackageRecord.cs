using System.Diagnostics.CodeAnalysis;

namespace Krait.Conda.Records;

/// <summary>
/// One package as a channel's repodata describes it, with every field conda knows.
/// Fields Krait does not model are kept as raw JSON in <see cref="ExtraFields"/> so that a rewrite loses nothing.
/// </summary>
public sealed class PackageRecord
{
    private readonly string? explicitUrl;
    private Version? parsedVersion;

    public required string Name { get; init; }

    /// <summary>The version string exactly as the channel wrote it.</summary>
    public required string Version { get; init; }

    public required string Build { get; init; }

    public long BuildNumber { get; init; }

    /// <summary>The file name (<c>fn</c>), e.g. <c>numpy-1.14.0-py36_0.tar.bz2</c>: the key of the record in repodata.</summary>
    public required string FileName { get; init; }

    public IReadOnlyList<string> Depends { get; init; } = [];

    /// <summary><c>constrains</c>: specs that must hold for a package if it is installed, without requiring it.</summary>
    public IReadOnlyList<string> Constrains { get; init; } = [];

    /// <summary><c>track_features</c> as written (space- or comma-separated); each one down-weights the record.</summary>
    public string? TrackFeatures { get; init; }

    /// <summary>The legacy <c>features</c> string.</summary>
    public string? Features { get; init; }

    public NoArchType NoArch { get; init; }

    /// <summary>Build time in milliseconds since the epoch (repodata may give seconds; they are normalised).</summary>
    public long? Timestamp { get; init; }

    public string? Md5 { get; init; }

    public string? Sha256 { get; init; }

    public long? Size { get; init; }

    public string? License { get; init; }

    public string? LicenseFamily { get; init; }

    public string? Subdir { get; init; }

    public string? Platform { get; init; }

    public string? Arch { get; init; }

    public IReadOnlyList<string>? Purls { get; init; }

    public string? PythonSitePackagesPath { get; init; }

    /// <summary>
    /// The full download URL: given explicitly, or <see cref="DownloadBaseUrl"/> + <c>/</c> + <see cref="FileName"/>
    /// (computed on demand so that half a million records do not each carry a long URL string).
    /// </summary>
    public string? Url
    {
        get => explicitUrl ?? (DownloadBaseUrl is null ? null : $"{DownloadBaseUrl}/{FileName}");
        init => explicitUrl = value;
    }

    /// <summary>Where the channel keeps this record's file: the subdir URL, or <c>info.base_url</c> (CEP-15). Shared by all records of a subdir.</summary>
    public string? DownloadBaseUrl { get; init; }

    /// <summary>The channel the record came from (canonical name or URL), when known.</summary>
    public string? Channel { get; init; }

    /// <summary>Fields of the record that Krait does not model, as raw UTF-8 JSON values, in their original order.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>>? ExtraFields { get; init; }

    /// <summary>The version parsed into conda's ordering; computed on first use. Throws for a version conda would reject.</summary>
    /// <remarks>
    /// A reader that has parsed this very version string already (for another record: half a million records share
    /// a few thousand versions) hands it over at construction, so each distinct version is parsed once.
    /// </remarks>
    public Version ParsedVersion
    {
        get => parsedVersion ??= Versions.Version.Parse(Version);
        init => parsedVersion = value;
    }

    /// <summary>The parsed version, or false when the channel wrote a version conda would reject.</summary>
    public bool TryGetParsedVersion([NotNullWhen(true)] out Version? version)
    {
        if (parsedVersion is null && Versions.Version.TryParse(Version, out var parsed))
        {
            parsedVersion = parsed;
        }

        version = parsedVersion;
        return version is not null;
    }

    /// <summary>The individual features of <see cref="TrackFeatures"/>.</summary>
    public IReadOnlyList<string> TrackFeatureList => SplitFeatures(TrackFeatures);

    /// <summary>The individual features of the legacy <see cref="Features"/>.</summary>
    public IReadOnlyList<string> FeatureList => SplitFeatures(Features);

    public override string ToString() => $"{Name}-{Version}-{Build}";

    /// <summary>Splits a feature string the way conda does: on spaces and commas.</summary>
    internal static string[] SplitFeatures(string? features) =>
        string.IsNullOrWhiteSpace(features)
            ? []
            : features.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
