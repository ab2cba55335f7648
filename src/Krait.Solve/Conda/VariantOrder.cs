using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Solve.Conda;

/// <summary>
/// How conda's libsolv orders builds that tie on track features, version, channel and build number (the variants of
/// one version: numpy's py312 and py313 builds), as the patch conda-forge and micromamba build libsolv with does it.
/// Two builds are compared on each dependency name whose constraints differ between them: for each side, the
/// highest version of the records that satisfy all of that side's constraints on the name; the side whose best is
/// higher scores, and a side whose every such record has <c>track_features</c> loses 100. Constraints without a
/// version or build (a bare name) are not compared. A tie goes to the newer timestamp, in whole seconds, and
/// otherwise to the first. The comparison is not transitive, so the sort must be libsolv's too: glibc's merge sort.
/// </summary>
internal sealed class VariantOrder(Func<string, IReadOnlyList<Candidate>> everyRecordOf, Func<string, MatchSpec?> specOf, Func<PackageRecord, IEnumerable<string>> dependenciesOf)
{
    private readonly Dictionary<PackageRecord, Constraint[]> constraints = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, (Version? Best, bool AllTracked)> bestMatches = new(StringComparer.Ordinal);

    /// <summary>Sorts <paramref name="items"/> best first, stably, exactly as libsolv sorts a tie.</summary>
    public void Sort<T>(List<T> items, Func<T, PackageRecord> recordOf)
    {
        if (items.Count < 2)
        {
            return;
        }

        var scratch = new T[items.Count];
        var array = items.ToArray();
        MergeSort(array.AsSpan(), scratch.AsSpan(), (a, b) => Compare(recordOf(a), recordOf(b)));
        for (var i = 0; i < array.Length; i++)
        {
            items[i] = array[i];
        }
    }

    /// <summary>Negative when <paramref name="a"/> goes first. Never 0: libsolv breaks every tie.</summary>
    public int Compare(PackageRecord a, PackageRecord b)
    {
        var score = CompareDependencies(a, b);
        if (score != 0)
        {
            return score;
        }

        // Timestamps in whole seconds, as libmamba gives them to libsolv.
        return (b.Timestamp ?? 0) / 1000 > (a.Timestamp ?? 0) / 1000 ? 1 : -1;
    }

    private int CompareDependencies(PackageRecord a, PackageRecord b)
    {
        var first = ConstraintsOf(a);
        var second = ConstraintsOf(b);
        var score = 0;
        List<string>? equalNames = null;
        foreach (var constraint in first)
        {
            var name = constraint.Name;
            if (equalNames?.Contains(name) == true)
            {
                continue;
            }

            if (!Differ(first, second, name))
            {
                (equalNames ??= []).Add(name);
                continue;
            }

            // Not marked as seen: a name constrained twice is counted twice, as libsolv does.
            var (bestA, allTrackedA) = BestMatch(first, name);
            var (bestB, allTrackedB) = BestMatch(second, name);
            if (bestA is null || bestB is null)
            {
                continue;
            }

            if (allTrackedA != allTrackedB)
            {
                score += allTrackedA ? 100 : -100;
            }

            score += LibsolvVersionOrder.Compare(bestB, bestA);
        }

        return score;
    }

    /// <summary>True when one of <paramref name="first"/>'s constraints on <paramref name="name"/> is not among <paramref name="second"/>'s.</summary>
    private static bool Differ(Constraint[] first, Constraint[] second, string name)
    {
        foreach (var constraint in first)
        {
            if (constraint.Name != name)
            {
                continue;
            }

            var found = false;
            foreach (var other in second)
            {
                if (other.Text == constraint.Text)
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The highest version among the records that satisfy every constraint on <paramref name="name"/>, and whether all of them track features.</summary>
    private (Version? Best, bool AllTracked) BestMatch(Constraint[] constraintsOfRecord, string name)
    {
        var key = string.Join('\n', constraintsOfRecord.Where(c => c.Name == name).Select(c => c.Text));
        if (key.Length == 0)
        {
            return (null, false); // the other side does not constrain the name: nothing to compare
        }

        if (bestMatches.TryGetValue(key, out var known))
        {
            return known;
        }

        Version? best = null;
        var any = false;
        var allTracked = true;
        foreach (var candidate in everyRecordOf(name))
        {
            var record = candidate.Record;
            var matchesAll = true;
            foreach (var constraint in constraintsOfRecord)
            {
                if (constraint.Name == name && !constraint.Spec.Matches(record))
                {
                    matchesAll = false;
                    break;
                }
            }

            if (!matchesAll)
            {
                continue;
            }

            any = true;
            allTracked &= record.TrackFeatureList.Count > 0;
            if (record.TryGetParsedVersion(out var version) && (best is null || LibsolvVersionOrder.Compare(best, version) < 0))
            {
                best = version;
            }
        }

        var result = (any ? best : null, any && allTracked);
        bestMatches[key] = result;
        return result;
    }

    /// <summary>A record's dependencies that constrain a version or build (libsolv's relational dependencies), in order.</summary>
    private Constraint[] ConstraintsOf(PackageRecord record)
    {
        if (constraints.TryGetValue(record, out var known))
        {
            return known;
        }

        var list = new List<Constraint>();
        foreach (var dependency in dependenciesOf(record))
        {
            if (specOf(dependency) is { IsNameExact: true } spec && ((spec.Version is { } version && !version.MatchesAll) || (spec.Build is { } build && !build.MatchesAll)))
            {
                list.Add(new Constraint(spec.Name.ExactValue!, spec.ToString(), spec));
            }
        }

        known = [.. list];
        constraints[record] = known;
        return known;
    }

    /// <summary>glibc's merge sort (what qsort is on the systems micromamba is built for): split in halves, merge taking the left on ties.</summary>
    private static void MergeSort<T>(Span<T> items, Span<T> scratch, Func<T, T, int> compare)
    {
        if (items.Length < 2)
        {
            return;
        }

        var half = items.Length / 2;
        MergeSort(items[..half], scratch, compare);
        MergeSort(items[half..], scratch, compare);
        int left = 0, right = half, written = 0;
        while (left < half && right < items.Length)
        {
            scratch[written++] = compare(items[left], items[right]) <= 0 ? items[left++] : items[right++];
        }

        while (left < half)
        {
            scratch[written++] = items[left++];
        }

        scratch[..written].CopyTo(items);
    }

    private sealed record Constraint(string Name, string Text, MatchSpec Spec);
}
