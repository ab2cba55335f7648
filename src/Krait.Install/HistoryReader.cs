using System.Text.RegularExpressions;

namespace Krait.Install;

/// <summary>
/// The specs a user asked for over an environment's life, from <c>conda-meta/history</c> (conda's
/// <c>--from-history</c>): each <c>update specs</c> line adds or replaces specs by name, <c>remove specs</c> drops them.
/// </summary>
public static partial class HistoryReader
{
    public static IReadOnlyList<string> RequestedSpecs(Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var path = Path.Combine(prefix.CondaMeta, "history");
        var specs = new List<string>();
        if (!File.Exists(path))
        {
            return specs;
        }

        foreach (var line in File.ReadLines(path))
        {
            var match = SpecsLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var listed = ListItem().Matches(match.Groups["list"].Value)
                .Select(m => m.Groups["single"].Success ? m.Groups["single"].Value : m.Groups["double"].Value)
                .ToList();
            foreach (var spec in listed)
            {
                specs.RemoveAll(existing => NameOf(existing) == NameOf(spec));
                if (match.Groups["kind"].Value is "update" or "install" or "create")
                {
                    specs.Add(spec);
                }
            }
        }

        return specs;
    }

    private static string NameOf(string spec) => Krait.Conda.Specs.MatchSpec.NameOf(spec).ToLowerInvariant();

    [GeneratedRegex(@"^#\s*(?<kind>update|install|create|remove|neutered)\s+specs:\s*\[(?<list>.*)\]\s*$")]
    private static partial Regex SpecsLine();

    // Python's repr of a list of strings: each item single-quoted, or double-quoted when it holds a single quote.
    [GeneratedRegex(@"'(?<single>[^']*)'|""(?<double>[^""]*)""")]
    private static partial Regex ListItem();
}
