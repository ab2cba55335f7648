using Krait.Conda.Records;

namespace Krait.Build.Building;

/// <summary>
/// Makes the environments a build needs (build, host, test) with Krait's own solver and installer: the caller knows
/// the channels, the network and the package cache; the builder only says what to put where.
/// </summary>
public interface IBuildEnvironments
{
    /// <summary>Creates an environment at <paramref name="prefix"/> (which must not exist) holding <paramref name="specs"/> solved for <paramref name="platform"/>.</summary>
    /// <param name="purpose">"build", "host" or "test", for messages.</param>
    /// <param name="extraChannels">Channels to look in before the configured ones (the build's output folder, for tests).</param>
    IReadOnlyList<InstalledRecord> Create(string prefix, IReadOnlyList<string> specs, string platform, string purpose, IReadOnlyList<string> extraChannels);
}

/// <summary>A package an environment got, and its folder in the package cache (where its <c>info/run_exports.json</c> is).</summary>
public sealed record InstalledRecord(PackageRecord Record, string? ExtractedDirectory);
