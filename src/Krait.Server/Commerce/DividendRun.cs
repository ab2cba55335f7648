using Krait.Server.Metadata;

namespace Krait.Server.Commerce;

/// <summary>Computes a period's dividend from what the server counted and knows: paid downloads, packages' about.json, the overrides, the subscriptions' revenue.</summary>
public static class DividendRun
{
    /// <summary>
    /// The dividend from <paramref name="from"/> to <paramref name="to"/>; with no <paramref name="revenueCents"/>, the
    /// revenue is what the subscriptions earned in the period (they must then share one currency).
    /// </summary>
    public static DividendReport Compute(MetadataStore store, string from, string to, long? revenueCents, string? currency, decimal share, long minimumCents, long carriedCents)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (revenueCents is null)
        {
            var earned = Revenue.Report(store.Subscriptions(null, from, to), Revenue.Day(from), Revenue.Day(to))
                .GroupBy(l => l.Currency, StringComparer.Ordinal)
                .Select(g => (Currency: g.Key, Cents: g.Sum(l => l.Cents)))
                .ToList();
            if (earned.Count > 1)
            {
                throw new InvalidOperationException($"the period's subscriptions are in {string.Join(" and ", earned.Select(e => e.Currency))}: give the revenue in one currency with --revenue and --currency");
            }

            revenueCents = earned.Count == 0 ? 0 : earned[0].Cents;
            currency ??= earned.Count == 0 ? "USD" : earned[0].Currency;
        }

        var downloads = store.PaidDownloads(from, to);
        var overrides = store.UpstreamProjects();
        var abouts = store.NewestAbout([.. downloads.Keys.Where(n => !overrides.ContainsKey(n))]);
        var projects = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in downloads.Keys)
        {
            projects[name] = overrides.TryGetValue(name, out var chosen) ? chosen : abouts.TryGetValue(name, out var about) ? UpstreamProjects.FromAbout(about) : null;
        }

        var terms = new DividendTerms(from, to, revenueCents.Value, currency ?? "USD", share, minimumCents, carriedCents);
        return Dividend.Split(terms, downloads, projects, store.DeclinedProjects());
    }
}
