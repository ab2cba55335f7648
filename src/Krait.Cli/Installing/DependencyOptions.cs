using System.CommandLine;
using Krait.Cli.Output;
using Krait.Conda.Records;
using Krait.Install.Environments;

namespace Krait.Cli.Installing;

/// <summary>Whether a command installs the asked packages with what they need (the default), alone, or only what they need.</summary>
public enum DependencyChoice
{
    All,
    NoDeps,
    OnlyDeps,
}

/// <summary><c>--no-deps</c> and <c>--only-deps</c> of <c>create</c>, <c>install</c> and <c>update</c>.</summary>
public sealed class DependencyOptions
{
    public Option<bool> NoDeps { get; } = new("--no-deps") { Description = "install the asked packages without what they need (the environment may not work)" };

    public Option<bool> OnlyDeps { get; } = new("--only-deps") { Description = "install only what the asked packages need, not the packages themselves" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(NoDeps);
        command.Options.Add(OnlyDeps);
    }

    public DependencyChoice Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return (parse.GetValue(NoDeps), parse.GetValue(OnlyDeps)) switch
        {
            (true, true) => throw new KraitException("ArgumentError", "--no-deps and --only-deps exclude each other"),
            (true, false) => DependencyChoice.NoDeps,
            (false, true) => DependencyChoice.OnlyDeps,
            _ => DependencyChoice.All,
        };
    }

    /// <summary>The records to install for the choice, saying (unless <paramref name="quiet"/>) what is left unmet by it.</summary>
    public static IReadOnlyList<PackageRecord> Apply(DependencyChoice choice, IReadOnlyList<PackageRecord> solved, IReadOnlyList<PackageRecord> installed, IReadOnlySet<string> asked, bool quiet)
    {
        if (choice == DependencyChoice.All)
        {
            return solved;
        }

        if (asked.Count == 0)
        {
            throw new KraitException("ArgumentError", $"--{(choice == DependencyChoice.NoDeps ? "no" : "only")}-deps needs package names to apply to");
        }

        var wanted = choice == DependencyChoice.NoDeps ? DependencyFilter.NoDeps(solved, installed, asked) : DependencyFilter.OnlyDeps(solved, installed, asked);
        if (!quiet && choice == DependencyChoice.NoDeps)
        {
            var present = wanted.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            var unmet = solved.Where(r => !present.Contains(r.Name)).Select(r => r.Name).ToList();
            if (unmet.Count > 0)
            {
                Console.Error.WriteLine($"warning: --no-deps leaves out what the asked packages need: {string.Join(", ", unmet)}");
            }
        }

        return wanted;
    }
}
