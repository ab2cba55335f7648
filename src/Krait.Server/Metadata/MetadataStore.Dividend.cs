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
}
