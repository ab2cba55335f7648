namespace Krait.Conda.Records;

/// <summary>The package names a mistyped one was probably meant to be (<c>numpi</c> → <c>numpy</c>).</summary>
public static class SimilarNames
{
    /// <summary>
    /// Up to <paramref name="count"/> of <paramref name="names"/> within a small edit distance of
    /// <paramref name="name"/> (one edit per four letters, at least one; a swap of two neighbours is one edit),
    /// closest first, then alphabetically.
    /// </summary>
    public static IReadOnlyList<string> Of(string name, IEnumerable<string> names, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(names);
        var limit = Math.Max(1, name.Length / 4);
        var typed = name.ToLowerInvariant();
        var found = new List<(int Distance, string Name)>();
        foreach (var candidate in names)
        {
            if (candidate != name && Math.Abs(candidate.Length - name.Length) <= limit && Distance(typed, candidate.ToLowerInvariant(), limit) is var distance && distance <= limit)
            {
                found.Add((distance, candidate));
            }
        }

        found.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : string.CompareOrdinal(a.Name, b.Name));
        return [.. found.Take(count).Select(f => f.Name)];
    }

    /// <summary>
    /// The optimal-string-alignment distance of two lower-cased names, given up (returning more than
    /// <paramref name="limit"/>) once a row exceeds it.
    /// </summary>
    private static int Distance(string a, string b, int limit)
    {
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowBest = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = value;
                rowBest = Math.Min(rowBest, value);
            }

            if (rowBest > limit)
            {
                return limit + 1;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }
}
