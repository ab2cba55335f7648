using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Solve.Conda;

/// <summary>
/// conda's <c>add_pip_as_python_dependency</c>, as libmamba (micromamba, conda's default solver) applies it — two rules:
/// <list type="bullet">
/// <item>a python record (version 2 or later) depends on pip only when the subdir it comes from also has pip: a
/// channel whose pip is in noarch and python in linux-64 gives python no pip dependency;</item>
/// <item>a create or install that asks for python by name, and not for pip, also asks for pip.</item>
/// </list>
/// So <c>python</c> alone brings pip, and so does numpy from a channel that has python and pip side by side, but
/// numpy from a channel that splits them does not.
/// </summary>
public static class PipDependency
{
    private const string Pip = "pip";

    /// <summary>
    /// <paramref name="specs"/> with <c>pip</c> appended when one of them names python and none names pip. Unlike
    /// libmamba, only when the channels have pip at all: asking for what does not exist would make every environment
    /// with python impossible.
    /// </summary>
    public static IReadOnlyList<MatchSpec> Requested(IReadOnlyList<MatchSpec> specs, IPackageSource channels)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(channels);
        var python = false;
        foreach (var spec in specs)
        {
            if (spec.Name.ExactValue == Pip)
            {
                return specs;
            }

            python |= spec.Name.ExactValue == "python";
        }

        return python && channels.CandidatesOf(Pip).Count > 0 ? [.. specs, MatchSpec.Parse(Pip)] : specs;
    }

    /// <summary>True when <paramref name="record"/> is a python that gets the pip dependency: version 2 or later, from a subdir that has pip.</summary>
    internal static bool Applies(PackageRecord record, Func<IReadOnlyList<Candidate>> everyPip) =>
        record.Name == "python" && record.Version.Length > 0 && record.Version[0] >= '2' && everyPip().Any(p => SameListing(p.Record, record));

    /// <summary>
    /// True when both records are listed in the same repodata (a noarch pip may be listed in linux-64): same download
    /// location, or for records that have none, the same channel and subdir.
    /// </summary>
    private static bool SameListing(PackageRecord a, PackageRecord b) =>
        a.DownloadBaseUrl is not null || b.DownloadBaseUrl is not null
            ? a.DownloadBaseUrl == b.DownloadBaseUrl
            : a.Channel == b.Channel && a.Subdir == b.Subdir;

    /// <summary>The dependency added.</summary>
    internal static string Dependency => Pip;
}
