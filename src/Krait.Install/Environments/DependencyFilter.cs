using Krait.Conda.Records;

namespace Krait.Install.Environments;

/// <summary>
/// conda's <c>--no-deps</c> and <c>--only-deps</c>: a solved environment cut down to the asked packages alone, or to
/// everything but them. Either may leave an environment whose packages do not all have what they need: conda warns
/// of that, and so does the command.
/// </summary>
public static class DependencyFilter
{
    /// <summary>What is installed, with only the asked packages changed to the solve's choice.</summary>
    public static IReadOnlyList<PackageRecord> NoDeps(IReadOnlyList<PackageRecord> solved, IReadOnlyList<PackageRecord> installed, IReadOnlySet<string> asked)
    {
        ArgumentNullException.ThrowIfNull(solved);
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(asked);
        return [.. installed.Where(r => !asked.Contains(r.Name)), .. solved.Where(r => asked.Contains(r.Name))];
    }

    /// <summary>The solve's choice for everything the asked packages need, without the asked packages themselves (kept as they are if installed).</summary>
    public static IReadOnlyList<PackageRecord> OnlyDeps(IReadOnlyList<PackageRecord> solved, IReadOnlyList<PackageRecord> installed, IReadOnlySet<string> asked)
    {
        ArgumentNullException.ThrowIfNull(solved);
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(asked);
        return [.. solved.Where(r => !asked.Contains(r.Name)), .. installed.Where(r => asked.Contains(r.Name))];
    }
}
