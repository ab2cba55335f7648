using Krait.Conda.Channels;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Cli.Output;

/// <summary>conda's <c>PackagesNotFoundError</c>: every spec no channel can meet, the channels searched, and the names that were probably meant.</summary>
internal static class PackagesNotFound
{
    public static KraitException Error(IReadOnlyList<MatchSpec> missing, IReadOnlyList<Channel> channels, string subdir, IReadOnlySet<string>? knownNames)
    {
        var searched = channels.SelectMany(c => new[] { c.SubdirUrl(subdir), c.SubdirUrl(Platform.NoArch) }).Distinct(StringComparer.Ordinal);
        var message = "The following packages are not available from current channels:\n\n"
            + string.Join('\n', missing.Select(m => $"  - {m}"))
            + "\n\nCurrent channels:\n\n"
            + string.Join('\n', searched.Select(u => "  - " + Channel.Redact(u)));
        var suggestions = knownNames is null ? [] : missing
            .Where(m => m.Name.ExactValue is { } name && !knownNames.Contains(name))
            .Select(m => (Name: m.Name.ExactValue!, Similar: SimilarNames.Of(m.Name.ExactValue!, knownNames)))
            .Where(s => s.Similar.Count > 0)
            .Select(s => $"{string.Join(" or ", s.Similar)} (for {s.Name})")
            .ToList();
        var hint = suggestions.Count > 0
            ? $"did you mean {string.Join(", ", suggestions)}? Search the channels with krait search"
            : "check the spelling and the versions with krait search, or search more channels with -c";
        return new KraitException("PackagesNotFoundError", message, hint);
    }
}
