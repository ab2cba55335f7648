namespace Krait.Server.Commerce;

/// <summary>
/// The open-source dividend of a period: a share of the revenue (plus what earlier periods rolled over) split
/// between upstream projects in proportion to the downloads of their packages by paying organisations. Amounts are
/// whole cents that add up exactly to the pool: each project gets the floor of its exact quota, and the cents left
/// go one each to the largest remainders (ties: more downloads, then the project's name). A project that declined,
/// a payout below the minimum, and packages with no known project are held back and roll over to the next period.
/// </summary>
public static class Dividend
{
    public const string UnknownProject = "(no upstream project known)";

    public static DividendReport Split(DividendTerms terms, IReadOnlyDictionary<string, long> downloadsByPackage, IReadOnlyDictionary<string, string?> projectOfPackage, IReadOnlySet<string> declined)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(downloadsByPackage);
        ArgumentNullException.ThrowIfNull(projectOfPackage);
        ArgumentNullException.ThrowIfNull(declined);
        var pool = (long)decimal.Round(terms.RevenueCents * terms.Share, MidpointRounding.ToZero) + terms.CarriedCents;
        var projects = downloadsByPackage
            .Where(p => p.Value > 0)
            .GroupBy(p => projectOfPackage.GetValueOrDefault(p.Key) ?? UnknownProject, StringComparer.Ordinal)
            .Select(g => (Project: g.Key, Downloads: g.Sum(p => p.Value), Packages: g.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => new PackageDownloads(p.Key, p.Value)).ToList()))
            .ToList();
        var total = projects.Sum(p => p.Downloads);
        var cents = LargestRemainder(pool, [.. projects.Select(p => (p.Project, p.Downloads))]);
        var shares = projects
            .Select(p =>
            {
                var amount = cents[p.Project];
                var held = p.Project == UnknownProject ? "no upstream project is known for these packages (name one: krait server project set)"
                    : declined.Contains(p.Project) ? "the project declined the dividend"
                    : amount < terms.MinimumCents ? $"below the minimum payout of {Metadata.Money.Format(terms.MinimumCents)}"
                    : null;
                return new ProjectShare(p.Project, amount, p.Downloads, total == 0 ? 0 : (decimal)p.Downloads / total, p.Packages, held);
            })
            .OrderByDescending(s => s.Cents).ThenByDescending(s => s.Downloads).ThenBy(s => s.Project, StringComparer.Ordinal)
            .ToList();
        var paid = shares.Where(s => s.HeldBecause is null).ToList();
        var heldBack = shares.Where(s => s.HeldBecause is not null).ToList();
        return new DividendReport(terms, pool, total, paid, heldBack, pool - paid.Sum(s => s.Cents));
    }

    /// <summary>Whole cents per name, adding up to <paramref name="pool"/>, in proportion to the weights (all to nobody, i.e. none, when every weight is 0).</summary>
    public static Dictionary<string, long> LargestRemainder(long pool, IReadOnlyList<(string Name, long Weight)> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        Int128 total = 0;
        foreach (var (_, weight) in weights)
        {
            total += weight;
        }

        if (total == 0)
        {
            foreach (var (name, _) in weights)
            {
                result[name] = 0;
            }

            return result;
        }

        var remainders = new List<(string Name, long Weight, Int128 Remainder)>();
        long given = 0;
        foreach (var (name, weight) in weights)
        {
            var exact = (Int128)pool * weight;
            var floor = (long)(exact / total);
            result[name] = floor;
            given += floor;
            remainders.Add((name, weight, exact % total));
        }

        foreach (var (name, _, _) in remainders.OrderByDescending(r => r.Remainder).ThenByDescending(r => r.Weight).ThenBy(r => r.Name, StringComparer.Ordinal).Take((int)(pool - given)))
        {
            result[name]++;
        }

        return result;
    }
}

/// <summary>What the dividend is computed from: the period's revenue (cents), the share of it (0.01 for 1%), the minimum payout and what earlier periods rolled over (cents).</summary>
public sealed record DividendTerms(string From, string To, long RevenueCents, string Currency, decimal Share, long MinimumCents, long CarriedCents);

public sealed record PackageDownloads(string Name, long Downloads);

/// <summary>One project's part: its packages' counted downloads, their fraction of all, the amount, and why it is held back (null: paid).</summary>
public sealed record ProjectShare(string Project, long Cents, long Downloads, decimal Fraction, IReadOnlyList<PackageDownloads> Packages, string? HeldBecause);

/// <summary>The dividend of a period: the pool, the projects paid, those held back, and what rolls over (everything held back; paid + rolled over = pool).</summary>
public sealed record DividendReport(DividendTerms Terms, long PoolCents, long Downloads, IReadOnlyList<ProjectShare> Paid, IReadOnlyList<ProjectShare> Held, long RolledOverCents);
