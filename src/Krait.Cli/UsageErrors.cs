using System.CommandLine;

namespace Krait.Cli;

/// <summary>
/// A command line krait cannot read is a usage error, as argparse makes it in conda: the problems on stderr, a
/// pointer to the help, exit code 2 (never the help text on stdout, where a shell hook or a script reads).
/// Exit codes: 0 success, 1 a command that failed (<c>error: …</c>), 2 a command line that could not be read;
/// <c>krait run</c> returns its program's code.
/// </summary>
internal static class UsageErrors
{
    public const int ExitCode = 2;

    /// <summary>Reports one problem found by a command that reads its own arguments (<c>krait run</c>) and returns <see cref="ExitCode"/>.</summary>
    public static int Report(string problem, string usage)
    {
        Console.Error.WriteLine($"error: {problem}");
        Console.Error.WriteLine($"hint: {usage}");
        return ExitCode;
    }

    /// <summary>Reports the parse's errors and returns <see cref="ExitCode"/>, or null when the command line is fine.</summary>
    public static int? Report(ParseResult parsed)
    {
        var problems = parsed.Errors.Select(e => e.Message).ToList();

        // A word that looks like an option but is none lands in the specs argument: say what it is.
        if (problems.Count == 0 && parsed.CommandResult.Command.Name is "create" or "install" or "update" or "remove" or "search" or "activate" or "list"
            && parsed.CommandResult.Children.OfType<System.CommandLine.Parsing.ArgumentResult>().SelectMany(a => a.Tokens).FirstOrDefault(t => t.Value.StartsWith('-') && t.Value.Length > 1) is { } unknown)
        {
            problems.Add($"unrecognized option '{unknown.Value}'");
        }

        if (problems.Count == 0)
        {
            return null;
        }

        foreach (var problem in problems.Distinct())
        {
            Console.Error.WriteLine($"error: {problem}");
        }

        var command = string.Join(' ', parsed.CommandResult.Command.Name == "krait" ? [] : CommandPath(parsed.CommandResult));
        Console.Error.WriteLine($"hint: see krait {(command.Length > 0 ? command + " " : string.Empty)}--help");
        return ExitCode;
    }

    private static Stack<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var current = result; current is not null && current.Command.Name != "krait"; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(current.Command.Name);
        }

        return names;
    }
}
