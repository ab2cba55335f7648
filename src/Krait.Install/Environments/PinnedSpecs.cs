using Krait.Conda.Specs;

namespace Krait.Install.Environments;

/// <summary>
/// An environment's pins, as conda reads them: <c>conda-meta/pinned</c>, one spec per line (<c>#</c> starts a
/// comment), plus the <c>pinned_packages</c> of the settings, which the caller hands in.
/// </summary>
public static class PinnedSpecs
{
    public static string FileOf(Prefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return Path.Combine(prefix.CondaMeta, "pinned");
    }

    /// <summary>The pins of <paramref name="prefix"/> (none when it has no pinned file) followed by <paramref name="configured"/>; a line that is no spec is an error naming the file and line.</summary>
    public static IReadOnlyList<MatchSpec> Read(Prefix? prefix, IEnumerable<string> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var pins = new List<MatchSpec>();
        var file = prefix is null ? null : FileOf(prefix);
        if (file is not null && File.Exists(file))
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                var text = (line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? line[..hash] : line).Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                try
                {
                    pins.Add(MatchSpec.Parse(text));
                }
                catch (InvalidMatchSpecException e)
                {
                    throw new InstallException($"{file}:{number}: '{text}' is not a package spec ({e.Message}); fix or remove the line", e);
                }
            }
        }

        foreach (var text in configured)
        {
            pins.Add(MatchSpec.Parse(text));
        }

        return pins;
    }
}
