using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Krait.Server.Metadata;

namespace Krait.Server.Commerce;

/// <summary>A dividend report as JSON (the API's shape), CSV (one line per package), or one HTML page a foundation's treasurer can read.</summary>
public static class DividendOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Json(DividendReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var shape = new Dictionary<string, object?>
        {
            ["from"] = report.Terms.From,
            ["to"] = report.Terms.To,
            ["revenue"] = Money.Amount(report.Terms.RevenueCents),
            ["share"] = report.Terms.Share,
            ["carried_over"] = Money.Amount(report.Terms.CarriedCents),
            ["pool"] = Money.Amount(report.PoolCents),
            ["currency"] = report.Terms.Currency,
            ["downloads"] = report.Downloads,
            ["projects"] = report.Paid.Select(Project).ToList(),
            ["held"] = report.Held.Select(Project).ToList(),
            ["rolled_over"] = Money.Amount(report.RolledOverCents),
        };
        return JsonSerializer.Serialize(shape, Indented);
    }

    public static string Csv(DividendReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder("project,status,package,package_downloads,project_downloads,fraction,amount,currency\n");
        foreach (var share in report.Paid.Concat(report.Held))
        {
            foreach (var package in share.Packages)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Field(share.Project)},{(share.HeldBecause is null ? "paid" : "held")},{Field(package.Name)},{package.Downloads},{share.Downloads},{share.Fraction.ToString("0.000000", CultureInfo.InvariantCulture)},{Money.Format(share.Cents)},{report.Terms.Currency}\n");
            }
        }

        return text.ToString();
    }

    public static string Html(DividendReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        static string E(string text) => WebUtility.HtmlEncode(text);
        var currency = E(report.Terms.Currency);
        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Open-source dividend {{E(report.Terms.From)}} to {{E(report.Terms.To)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}table{border-collapse:collapse;width:100%}th,td{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}details{margin:.2rem 0}.held{color:#666}</style></head>
            <body><h1>Open-source dividend</h1>
            <p>Period <strong>{{E(report.Terms.From)}}</strong> to <strong>{{E(report.Terms.To)}}</strong>. Revenue {{Money.Format(report.Terms.RevenueCents)}} {{currency}}; share {{(report.Terms.Share * 100).ToString("0.###", CultureInfo.InvariantCulture)}}%{{(report.Terms.CarriedCents > 0 ? $"; carried over from earlier periods {Money.Format(report.Terms.CarriedCents)} {currency}" : string.Empty)}}: <strong>pool {{Money.Format(report.PoolCents)}} {{currency}}</strong>.</p>
            <p>Split in proportion to {{report.Downloads.ToString("N0", CultureInfo.InvariantCulture)}} downloads by paying organisations, counted by the server, one per completed download. Amounts are rounded to cents by largest remainder so that they add up exactly to the pool: paid {{Money.Format(report.Paid.Sum(s => s.Cents))}} {{currency}}, rolled over to the next period {{Money.Format(report.RolledOverCents)}} {{currency}}.</p>
            """);
        page.Append(Chart(report.Paid.Take(20).ToList(), report.Terms.Currency));
        page.Append("<h2>Projects paid</h2><table><thead><tr><th>#</th><th>Project</th><th class=n>Downloads</th><th class=n>Fraction</th><th class=n>Amount</th></tr></thead><tbody>");
        var rank = 0;
        foreach (var share in report.Paid)
        {
            page.Append(CultureInfo.InvariantCulture, $"<tr><td>{++rank}</td><td><details><summary>{E(share.Project)}</summary>{Packages(share)}</details></td><td class=n>{share.Downloads:N0}</td><td class=n>{share.Fraction * 100:0.0000}%</td><td class=n>{Money.Format(share.Cents)} {currency}</td></tr>");
        }

        page.Append("</tbody></table>");
        if (report.Held.Count > 0)
        {
            page.Append("<h2>Held back (rolled over)</h2><table class=held><thead><tr><th>Project</th><th>Why</th><th class=n>Downloads</th><th class=n>Amount</th></tr></thead><tbody>");
            foreach (var share in report.Held)
            {
                page.Append(CultureInfo.InvariantCulture, $"<tr><td><details><summary>{E(share.Project)}</summary>{Packages(share)}</details></td><td>{E(share.HeldBecause!)}</td><td class=n>{share.Downloads:N0}</td><td class=n>{Money.Format(share.Cents)} {currency}</td></tr>");
            }

            page.Append("</tbody></table>");
        }

        page.Append("</body></html>\n");
        return page.ToString();
    }

    /// <summary>A horizontal bar chart of the top projects' amounts, as inline SVG (no script, prints as it shows).</summary>
    private static string Chart(List<ProjectShare> top, string currency)
    {
        if (top.Count == 0 || top[0].Cents == 0)
        {
            return "<p>No project is paid in this period.</p>";
        }

        const int Row = 22, Label = 260, Width = 420;
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<h2>Top projects</h2><svg role=img aria-label=\"Amounts of the top {top.Count} projects\" width=\"{Label + Width + 120}\" height=\"{(top.Count * Row) + 4}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">");
        for (var i = 0; i < top.Count; i++)
        {
            var length = Math.Max(1, (int)(Width * top[i].Cents / top[0].Cents));
            var y = i * Row;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Label - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{WebUtility.HtmlEncode(top[i].Project)}</text><rect class=\"bar\" x=\"{Label}\" y=\"{y + 3}\" width=\"{length}\" height=\"{Row - 6}\" fill=\"#3b7dd8\"/><text x=\"{Label + length + 6}\" y=\"{y + 15}\">{Money.Format(top[i].Cents)} {WebUtility.HtmlEncode(currency)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Packages(ProjectShare share) =>
        "<ul>" + string.Concat(share.Packages.Select(p => $"<li>{WebUtility.HtmlEncode(p.Name)}: {p.Downloads.ToString("N0", CultureInfo.InvariantCulture)} downloads</li>")) + "</ul>";

    private static Dictionary<string, object?> Project(ProjectShare share) => new()
    {
        ["project"] = share.Project,
        ["amount"] = Money.Amount(share.Cents),
        ["downloads"] = share.Downloads,
        ["fraction"] = decimal.Round(share.Fraction, 8),
        ["held_because"] = share.HeldBecause,
        ["packages"] = share.Packages.Select(p => new Dictionary<string, object> { ["name"] = p.Name, ["downloads"] = p.Downloads }).ToList(),
    };

    private static string Field(string text) => text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal) ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
