using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Krait.Server.Commerce;
using Krait.Server.Home;
using Krait.Server.Metadata;
using Krait.TestSupport;

namespace Krait.Server.Tests;

/// <summary>
/// The open-source dividend on a generated usage log: the split <c>krait server dividend</c> prints equals one computed
/// here independently (exact integer arithmetic, cents awarded one at a time to the largest remaining fraction).
/// </summary>
public sealed class DividendTests : IDisposable
{
    private const int Packages = 30;
    private const int Projects = 12;
    private readonly TempFolder scratch = new TempFolder("dividend").Create();

    [Fact]
    public void The_split_follows_paid_downloads_to_the_cent()
    {
        var (home, paid) = GeneratedUsage();
        ServerCommand.Expect(0, "project", "set", home, "pkg29", "https://github.com/org0/repo0");
        ServerCommand.Expect(0, "project", "decline", home, "https://" + ProjectName(5));

        // Expected, from what was generated: package i belongs to project i % 12 (pkg28 to none, pkg29 by override to project 0).
        var downloads = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < Packages; i++)
        {
            var project = i == 28 ? Dividend.UnknownProject : ProjectName(i == 29 ? 0 : i % Projects);
            downloads[project] = downloads.GetValueOrDefault(project) + paid[i];
        }

        const long Pool = 1_200_000; // 1% of 1,200,000.00, in cents
        var expected = AwardCents(Pool, downloads);
        // A minimum payout that holds back the two smallest amounts.
        var minimum = expected.Values.Order().ElementAt(2);
        var minimumText = (minimum / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        var paidOut = expected.Where(p => p.Key != Dividend.UnknownProject && p.Key != ProjectName(5) && p.Value >= minimum).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(2, expected.Count(p => p.Value < minimum));

        var printed = JsonNode.Parse(ServerCommand.Expect(0, "dividend", home, "--from", "2026-01-01", "--to", "2026-12-31", "--revenue", "1200000", "--share", "1%", "--minimum", minimumText, "--json").StandardOutput)!;
        Assert.Equal(12_000.00m, (decimal)printed["pool"]!);
        var projects = printed["projects"]!.AsArray();
        Assert.Equal(
            paidOut.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value / 100m)),
            projects.Select(p => ((string)p!["project"]!, (decimal)p["amount"]!)).OrderBy(p => p.Item1, StringComparer.Ordinal));
        Assert.Equal((Pool - paidOut.Values.Sum()) / 100m, (decimal)printed["rolled_over"]!);
        Assert.Equal(Pool, projects.Sum(p => (long)((decimal)p!["amount"]! * 100)) + (long)((decimal)printed["rolled_over"]! * 100));
        Assert.Equal(paid.Sum(), (long)printed["downloads"]!);

        // Traceable: each project lists its packages and their counted downloads.
        var first = projects.Single(p => (string?)p!["project"] == ProjectName(0))!;
        Assert.Equal(
            Enumerable.Range(0, Packages).Where(i => i == 29 || (i != 28 && i % Projects == 0)).Select(i => ($"pkg{i:00}", paid[i])).OrderBy(p => p.Item1, StringComparer.Ordinal),
            first["packages"]!.AsArray().Select(p => ((string)p!["name"]!, (long)p["downloads"]!)).OrderBy(p => p.Item1, StringComparer.Ordinal));
        var held = printed["held"]!.AsArray().ToDictionary(p => (string)p!["project"]!, p => (string)p!["held_because"]!);
        Assert.Contains("declined", held[ProjectName(5)], StringComparison.Ordinal);
        Assert.Contains("no upstream project", held[Dividend.UnknownProject], StringComparison.Ordinal);
        Assert.Equal(2, held.Values.Count(v => v.StartsWith("below the minimum payout of " + minimumText, StringComparison.Ordinal)) + (expected[ProjectName(5)] < minimum ? 1 : 0) + (expected[Dividend.UnknownProject] < minimum ? 1 : 0));

        var html = ServerCommand.Expect(0, "dividend", home, "--from", "2026-01-01", "--to", "2026-12-31", "--revenue", "1200000", "--minimum", minimumText, "--html").StandardOutput;
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(paidOut.Count, html.Split("class=\"bar\"").Length - 1);
        Assert.All(paidOut.Keys, project => Assert.Contains(project, html, StringComparison.Ordinal));
        var csv = ServerCommand.Expect(0, "dividend", home, "--from", "2026-01-01", "--to", "2026-12-31", "--revenue", "1200000", "--csv").StandardOutput;
        Assert.Equal(Packages - paid.Count(d => d == 0) + 1, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Without_a_revenue_the_subscriptions_earnings_are_the_revenue()
    {
        var (home, _) = GeneratedUsage();
        ServerCommand.Expect(0, "plan", "set", home, "--channel", "pro", "--name", "team", "--price", "15");
        ServerCommand.Expect(0, "org", "create", home, "acme", "--owner", "admin");
        ServerCommand.Expect(0, "subscription", "add", home, "--org", "acme", "--channel", "pro", "--plan", "team", "--seats", "250", "--start", "2026-01-01", "--end", "2026-12-31");
        var printed = JsonNode.Parse(ServerCommand.Expect(0, "dividend", home, "--from", "2026-01-01", "--to", "2026-12-31", "--json").StandardOutput)!;
        Assert.Equal(45_000.00m, (decimal)printed["revenue"]!); // 250 seats × 15.00 × 12 months
        Assert.Equal(450.00m, (decimal)printed["pool"]!);
        Assert.Equal("USD", (string?)printed["currency"]);
        Assert.Contains("YYYY-MM-DD", ServerCommand.Expect(1, "dividend", home, "--from", "January", "--to", "2026-12-31").StandardError, StringComparison.Ordinal);
        Assert.Contains("--share", ServerCommand.Expect(1, "dividend", home, "--from", "2026-01-01", "--to", "2026-12-31", "--share", "150%").StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void What_a_recorded_dividend_rolls_over_is_carried_into_the_next_period()
    {
        var (home, _) = GeneratedUsage();
        ServerCommand.Expect(0, "project", "decline", home, "https://" + ProjectName(0));
        var paid = JsonNode.Parse(ServerCommand.Expect(0, "dividend", home, "--from", "2026-01-01", "--to", "2026-12-31", "--revenue", "1200000", "--record", "--json").StandardOutput)!;
        var rolledOver = (decimal)paid["rolled_over"]!;
        Assert.True(rolledOver > 0);
        Assert.Contains("overlaps", ServerCommand.Expect(1, "dividend", home, "--from", "2026-06-01", "--to", "2027-05-31", "--revenue", "1", "--record").StandardError, StringComparison.Ordinal);

        // 2027 has no downloads: its pool is its own share and what 2026 rolled over, all rolled over again.
        var next = JsonNode.Parse(ServerCommand.Expect(0, "dividend", home, "--from", "2027-01-01", "--to", "2027-12-31", "--revenue", "100000", "--json").StandardOutput)!;
        Assert.Equal(rolledOver, (decimal)next["carried_over"]!);
        Assert.Equal(1000.00m + rolledOver, (decimal)next["pool"]!);
        Assert.Equal((decimal)next["pool"]!, (decimal)next["rolled_over"]!);
    }

    [Theory]
    [InlineData("https://github.com/NumPy/numpy.git", "github.com/numpy/numpy")]
    [InlineData("http://www.github.com/numpy/numpy/tree/main/doc", "github.com/numpy/numpy")]
    [InlineData("https://gitlab.com/graphviz/graphviz/", "gitlab.com/graphviz/graphviz")]
    [InlineData("https://numpy.org/", "numpy.org")]
    [InlineData("https://www.python.org/downloads?x=1", "python.org/downloads")]
    [InlineData("not a url", null)]
    public void Project_addresses_are_normalised(string url, string? project) => Assert.Equal(project, UpstreamProjects.Normalise(url));

    [Fact]
    public void A_forge_address_wins_over_a_home_page() =>
        Assert.Equal("github.com/pandas-dev/pandas", UpstreamProjects.FromAbout(Encoding.UTF8.GetBytes("""{"home": "https://pandas.pydata.org", "dev_url": "https://github.com/pandas-dev/pandas"}""")));

    public void Dispose() => scratch.Dispose();

    private static string ProjectName(int project) => project % 3 == 2 ? $"project{project}.org" : $"github.com/org{project}/repo{project}";

    /// <summary>
    /// A server home with 30 packages and a year of downloads: paid ones (by two organisations) in the period, and
    /// unpaid ones and ones outside the period that must not count. Returns the paid downloads per package.
    /// </summary>
    private (string Home, long[] Paid) GeneratedUsage()
    {
        var path = scratch.Combine("home-" + Guid.NewGuid().ToString("N")[..8]);
        ServerHome.Init(path);
        var home = ServerHome.Open(path);
        Administration.CreateChannel(home, "community", isPrivate: false);
        Administration.CreateChannel(home, "pro", isPrivate: false, null, commercial: true);
        var store = home.OpenMetadata();
        var random = new Random(20261202);
        var rows = new List<PackageFileRow>();
        for (var i = 0; i < Packages; i++)
        {
            var project = i % Projects;
            string? about = i == 28 ? null
                : project % 3 == 2 ? $$"""{"home": "https://project{{project}}.org/", "summary": "x"}"""
                : (i % 2 == 0) ? $$"""{"home": "https://org{{project}}.example", "dev_url": "https://github.com/Org{{project}}/Repo{{project}}.git"}"""
                : $$"""{"home": "http://www.github.com/org{{project}}/repo{{project}}/tree/main"}""";
            if (i == 29)
            {
                about = """{"home": "https://elsewhere.example"}""";
            }

            rows.Add(new PackageFileRow
            {
                Channel = "community", Subdir = "noarch", Filename = $"pkg{i:00}-1.0-0.conda", Label = "main", Name = $"pkg{i:00}", Version = "1.0",
                Sha256 = new string('0', 64), Size = 1, Timestamp = 1_700_000_000_000 + i, Record = "{}"u8.ToArray(),
                About = about is null ? null : Encoding.UTF8.GetBytes(about), Uploaded = "2026-01-01T00:00:00Z",
            });
        }

        store.PutFiles(rows);
        var paid = new long[Packages];
        var counts = new Dictionary<DownloadKey, long>();
        for (var n = 0; n < 4000; n++)
        {
            // Skewed towards the first packages, so that the last projects fall under the minimum.
            var i = (int)(Packages * Math.Pow(random.NextDouble(), 2.2));
            var inPeriod = random.Next(10) != 0;
            var day = inPeriod ? new DateOnly(2026, 1, 1).AddDays(random.Next(365)) : new DateOnly(2025, 12, 31).AddDays(-random.Next(30));
            var organisation = random.Next(4) switch { 0 => string.Empty, 1 => "globex", _ => "acme" };
            var times = random.Next(1, 40);
            var key = new DownloadKey(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "community", "noarch", $"pkg{i:00}", "1.0", "0", organisation, "u", 0, "conda");
            counts[key] = counts.GetValueOrDefault(key) + times;
            if (inPeriod && organisation.Length > 0)
            {
                paid[i] += times;
            }
        }

        store.AddDownloads(counts);
        return (path, paid);
    }

    /// <summary>Hamilton's method, written differently from the server's: floors first, then one cent at a time to the largest fraction left.</summary>
    private static Dictionary<string, long> AwardCents(long pool, Dictionary<string, long> weights)
    {
        BigInteger total = weights.Values.Sum();
        var cents = weights.ToDictionary(w => w.Key, w => (long)(pool * (BigInteger)w.Value / total), StringComparer.Ordinal);
        var fractions = weights.ToDictionary(w => w.Key, w => pool * (BigInteger)w.Value % total, StringComparer.Ordinal);
        for (var left = pool - cents.Values.Sum(); left > 0; left--)
        {
            var best = fractions.Keys.Aggregate((a, b) =>
                fractions[a] > fractions[b] || (fractions[a] == fractions[b] && (weights[a] > weights[b] || (weights[a] == weights[b] && string.CompareOrdinal(a, b) < 0))) ? a : b);
            cents[best]++;
            fractions[best] = -1;
        }

        return cents;
    }
}
