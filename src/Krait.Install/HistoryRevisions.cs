namespace Krait.Install;

/// <summary>One revision of an environment: when, by which command, and the packages it linked and unlinked (conda's dist strings, <c>channel::name-version-build</c>).</summary>
public sealed record Revision(int Number, string Date, string? Command, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);

/// <summary>
/// An environment's revisions from <c>conda-meta/history</c>, as conda numbers them: each <c>==&gt; date &lt;==</c>
/// block is one revision (revision 0 made the environment), its <c>+dist</c> lines linked and <c>-dist</c> lines
/// unlinked packages. What was installed at revision N is every addition up to N not removed since.
/// </summary>
public static class HistoryRevisions
{
    public static IReadOnlyList<Revision> Read(Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var path = Path.Combine(prefix.CondaMeta, "history");
        return File.Exists(path) ? Parse(File.ReadAllLines(path)) : [];
    }

    public static IReadOnlyList<Revision> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var revisions = new List<Revision>();
        string? date = null;
        string? command = null;
        var added = new List<string>();
        var removed = new List<string>();
        void Close()
        {
            if (date is not null)
            {
                revisions.Add(new Revision(revisions.Count, date, command, [.. added], [.. removed]));
            }
        }

        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("==>", StringComparison.Ordinal) && line.EndsWith("<==", StringComparison.Ordinal))
            {
                Close();
                date = line[3..^3].Trim();
                command = null;
                added.Clear();
                removed.Clear();
            }
            else if (line.StartsWith("# cmd:", StringComparison.Ordinal))
            {
                command = line[6..].Trim();
            }
            else if (line.Length > 1 && line[0] == '+')
            {
                added.Add(line[1..]);
            }
            else if (line.Length > 1 && line[0] == '-')
            {
                removed.Add(line[1..]);
            }
        }

        Close();
        return revisions;
    }

    /// <summary>The dist strings installed right after revision <paramref name="number"/>.</summary>
    public static IReadOnlyList<string> StateAt(IReadOnlyList<Revision> revisions, int number)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        var state = new List<string>();
        foreach (var revision in revisions.Take(number + 1))
        {
            foreach (var dist in revision.Removed)
            {
                state.RemoveAll(d => DistName(d) == DistName(dist));
            }

            state.AddRange(revision.Added.Where(dist => !state.Exists(d => DistName(d) == DistName(dist))));
        }

        return state;
    }

    /// <summary><c>name-version-build</c> of a dist string (without its <c>channel::</c>).</summary>
    public static string DistName(string dist)
    {
        ArgumentNullException.ThrowIfNull(dist);
        var separator = dist.LastIndexOf("::", StringComparison.Ordinal);
        return separator < 0 ? dist : dist[(separator + 2)..];
    }

    /// <summary>The channel part of a dist string (often with its subdir), or null.</summary>
    public static string? ChannelOf(string dist)
    {
        ArgumentNullException.ThrowIfNull(dist);
        var separator = dist.LastIndexOf("::", StringComparison.Ordinal);
        return separator < 0 ? null : dist[..separator];
    }

    /// <summary>The package name of a dist string: all of <c>name-version-build</c> before its last two dashes.</summary>
    public static string PackageName(string dist)
    {
        var name = DistName(dist);
        var build = name.LastIndexOf('-');
        var version = build <= 0 ? -1 : name.LastIndexOf('-', build - 1);
        return version <= 0 ? name : name[..version];
    }
}
