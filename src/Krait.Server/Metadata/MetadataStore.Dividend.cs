using Dapper;

namespace Krait.Server.Metadata;

/// <summary>What the open-source dividend reads: downloads by paying organisations, packages' about.json, and the administrators' overrides.</summary>
public sealed partial class MetadataStore
{
    /// <summary>Downloads per package name, in every channel, by users counted for a paying organisation, from <paramref name="from"/> to <paramref name="to"/> (days, inclusive).</summary>
    public IReadOnlyDictionary<string, long> PaidDownloads(string from, string to)
    {
        using var connection = Database.Open();
        return connection.Query<(string Name, long Downloads)>(
            "SELECT name, SUM(downloads) FROM package_downloads WHERE day >= @from AND day <= @to AND organisation <> '' GROUP BY name",
            new { from, to })
            .ToDictionary(r => r.Name, r => r.Downloads, StringComparer.Ordinal);
    }

    /// <summary>The about.json of the newest file (by timestamp, then name) of each of <paramref name="names"/> that has one, in any channel.</summary>
    public IReadOnlyDictionary<string, byte[]> NewestAbout(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var newest = new Dictionary<string, (long Timestamp, string Filename, byte[] About)>(StringComparer.Ordinal);
        using var connection = Database.Open();
        foreach (var chunk in names.Chunk(500))
        {
            foreach (var (name, filename, timestamp, about) in connection.Query<(string Name, string Filename, long Timestamp, byte[] About)>(
                $"SELECT name, filename, timestamp, about FROM package_files WHERE about IS NOT NULL AND {Database.OneOf("name", "names")}", new { names = chunk }))
            {
                if (!newest.TryGetValue(name, out var known) || timestamp > known.Timestamp || (timestamp == known.Timestamp && string.CompareOrdinal(filename, known.Filename) > 0))
                {
                    newest[name] = (timestamp, filename, about);
                }
            }
        }

        return newest.ToDictionary(p => p.Key, p => p.Value.About, StringComparer.Ordinal);
    }

    /// <summary>Names a package's upstream project by hand (several packages to one project), or forgets that with a null project.</summary>
    public void SetUpstreamProject(Actor actor, string package, string? project)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            project is null
                ? "DELETE FROM upstream_projects WHERE package = @package"
                : "INSERT INTO upstream_projects (package, project) VALUES (@package, @project) ON CONFLICT (package) DO UPDATE SET project = excluded.project",
            new { package, project },
            transaction);
        Audit(connection, transaction, actor, "dividend.project", null, package, project ?? "(from about.json)");
        transaction.Commit();
    }

    public IReadOnlyDictionary<string, string> UpstreamProjects()
    {
        using var connection = Database.Open();
        return connection.Query<(string Package, string Project)>("SELECT package, project FROM upstream_projects").ToDictionary(r => r.Package, r => r.Project, StringComparer.Ordinal);
    }

    /// <summary>Records that a project declined the dividend (or, with <paramref name="declined"/> false, that it accepts it again).</summary>
    public void SetDeclined(Actor actor, string project, bool declined)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            declined
                ? "INSERT INTO declined_projects (project, declined) VALUES (@project, @at) ON CONFLICT (project) DO NOTHING"
                : "DELETE FROM declined_projects WHERE project = @project",
            new { project, at = Now() },
            transaction);
        Audit(connection, transaction, actor, declined ? "dividend.decline" : "dividend.accept", null, project, null);
        transaction.Commit();
    }

    public IReadOnlySet<string> DeclinedProjects()
    {
        using var connection = Database.Open();
        return connection.Query<string>("SELECT project FROM declined_projects").ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Records a period's dividend as paid (its JSON report kept), so that what it rolled over is carried into the next;
    /// false, with nothing recorded, when a recorded period overlaps it.
    /// </summary>
    public bool RecordDividend(Actor actor, string from, string to, string currency, long poolCents, long rolledOverCents, string report)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM dividend_runs WHERE period_from <= @to AND period_to >= @from", new { from, to }, transaction) > 0)
        {
            return false;
        }

        connection.Execute(
            """
            INSERT INTO dividend_runs (period_from, period_to, currency, pool_cents, rolled_over_cents, report, recorded)
            VALUES (@from, @to, @currency, @poolCents, @rolledOverCents, @report, @recorded)
            """,
            new { from, to, currency, poolCents, rolledOverCents, report, recorded = Now() },
            transaction);
        Audit(connection, transaction, actor, "dividend.record", null, $"{from} to {to}", $"pool {Money.Format(poolCents)} {currency}, rolled over {Money.Format(rolledOverCents)}");
        transaction.Commit();
        return true;
    }

    /// <summary>What the last recorded dividend before <paramref name="from"/> rolled over, and in which currency (none: 0).</summary>
    public (long Cents, string? Currency, string? Period) RolledOverBefore(string from)
    {
        using var connection = Database.Open();
        var row = connection.QueryFirstOrDefault<(long Cents, string Currency, string From, string To)>(
            "SELECT rolled_over_cents, currency, period_from, period_to FROM dividend_runs WHERE period_to < @from ORDER BY period_to DESC LIMIT 1", new { from });
        return row.Currency is null ? (0, null, null) : (row.Cents, row.Currency, $"{row.From} to {row.To}");
    }
}
