namespace Krait.Solve.Conda;

/// <summary>
/// Version comparison with the magnitudes libsolv's conda comparison returns, where they are summed
/// (<see cref="VariantOrder"/>): the sign is conda's order; when the first difference is between two numbers of the
/// same number of digits, the value is the difference of their first differing digits (libsolv compares such
/// numbers with <c>strncmp</c>), so 3.13 over 3.11 counts 2 where 3.13 over 3.12 counts 1; otherwise it is ±1.
/// </summary>
internal static class LibsolvVersionOrder
{
    public static int Compare(Version a, Version b)
    {
        var order = a.CompareTo(b);
        if (order == 0)
        {
            return 0;
        }

        return Math.Sign(order) * FirstDifferenceMagnitude(a, b);
    }

    private static int FirstDifferenceMagnitude(Version a, Version b)
    {
        var segments = Math.Max(a.Segments.Count, b.Segments.Count);
        for (var i = 0; i < segments; i++)
        {
            var first = i < a.Segments.Count ? a.Segments[i] : null;
            var second = i < b.Segments.Count ? b.Segments[i] : null;
            var atoms = Math.Max(first?.Count ?? 0, second?.Count ?? 0);
            for (var j = 0; j < atoms; j++)
            {
                var x = first is not null && j < first.Count ? first[j].ToString() : null;
                var y = second is not null && j < second.Count ? second[j].ToString() : null;
                if (x == y)
                {
                    continue;
                }

                return x is not null && y is not null && x.Length == y.Length && IsDigits(x) && IsDigits(y) ? DigitDifference(x, y) : 1;
            }
        }

        return 1;
    }

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    private static int DigitDifference(string x, string y)
    {
        for (var i = 0; i < x.Length; i++)
        {
            if (x[i] != y[i])
            {
                return Math.Abs(x[i] - y[i]);
            }
        }

        return 1;
    }
}
