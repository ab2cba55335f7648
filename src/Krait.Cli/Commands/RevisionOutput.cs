using Krait.Cli.Output;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait list --revisions</c> as conda prints it: each revision's date and number, then its changes, one per line:
/// a package that changed version as <c> name  {old -> new}</c>, removals <c>-dist</c>, additions <c>+dist</c>.
/// </summary>
public static class RevisionOutput
{
    public static void Write(IReadOnlyList<Revision> revisions, bool json)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartArray();
                foreach (var revision in revisions)
                {
                    var (updated, removed, added) = Changes(revision);
                    w.WriteStartObject();
                    w.WriteString("date", revision.Date);
                    w.WriteNumber("rev", revision.Number);
                    Strings(w, "install", added);
                    Strings(w, "remove", removed);
                    Strings(w, "upgrade", [.. updated.Where(u => Newer(u.New, u.Old)).Select(u => $"{u.Old} -> {u.New}")]);
                    Strings(w, "downgrade", [.. updated.Where(u => !Newer(u.New, u.Old)).Select(u => $"{u.Old} -> {u.New}")]);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return;
        }

        foreach (var revision in revisions)
        {
            Console.WriteLine($"{revision.Date}  (rev {revision.Number})");
            var (updated, removed, added) = Changes(revision);
            updated.ForEach(u => Console.WriteLine($"     {HistoryRevisions.PackageName(u.New)}  {{{Version(u.Old)} -> {Version(u.New)}}}"));
            removed.ForEach(r => Console.WriteLine($"    -{r}"));
            added.ForEach(a => Console.WriteLine($"    +{a}"));
            Console.WriteLine();
        }
    }

    /// <summary>A revision's changes: packages whose name was both removed and added are updates.</summary>
    private static (List<(string Old, string New)> Updated, List<string> Removed, List<string> Added) Changes(Revision revision)
    {
        var updated = new List<(string, string)>();
        var removed = new List<string>();
        foreach (var old in revision.Removed.Order(StringComparer.Ordinal))
        {
            var replacement = revision.Added.FirstOrDefault(a => HistoryRevisions.PackageName(a) == HistoryRevisions.PackageName(old));
            if (replacement is null)
            {
                removed.Add(old);
            }
            else
            {
                updated.Add((old, replacement));
            }
        }

        var added = revision.Added.Where(a => !updated.Exists(u => u.Item2 == a)).Order(StringComparer.Ordinal).ToList();
        return (updated, removed, added);
    }

    /// <summary><c>version-build</c> of a dist string, what conda shows in an update.</summary>
    private static string Version(string dist) => HistoryRevisions.DistName(dist)[(HistoryRevisions.PackageName(dist).Length + 1)..];

    private static bool Newer(string candidate, string than)
    {
        var candidateVersion = Version(candidate);
        var thanVersion = Version(than);
        var a = Krait.Conda.Versions.Version.TryParse(candidateVersion[..candidateVersion.LastIndexOf('-')], out var left);
        var b = Krait.Conda.Versions.Version.TryParse(thanVersion[..thanVersion.LastIndexOf('-')], out var right);
        return a && b ? left!.CompareTo(right) >= 0 : string.CompareOrdinal(candidateVersion, thanVersion) >= 0;
    }

    private static void Strings(System.Text.Json.Utf8JsonWriter writer, string name, List<string> values)
    {
        writer.WriteStartArray(name);
        values.ForEach(writer.WriteStringValue);
        writer.WriteEndArray();
    }
}
