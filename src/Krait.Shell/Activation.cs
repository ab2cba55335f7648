namespace Krait.Shell;

/// <summary>
/// The shell code that activates or deactivates an environment: an <see cref="ActivationChange"/> written in one
/// shell's syntax, after <see cref="Marker"/>, the line by which the hook knows that what it is about to evaluate is
/// code Krait wrote for it (and not, say, a help text).
/// </summary>
public static class Activation
{
    /// <summary>The first line of every piece of activation code; the hooks evaluate nothing else.</summary>
    public const string Marker = "# krait activation code";

    /// <param name="changePrompt">conda's <c>changeps1</c>: put the prompt modifier in front of the prompt (<c>PS1</c> in bash and zsh; the hook's prompt function elsewhere).</param>
    public static string Render(ShellSyntax shell, ActivationChange change, IReadOnlyDictionary<string, string?> environment, bool changePrompt)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(environment);
        var lines = new List<string> { shell.MarkerLine };
        lines.AddRange(change.ScriptsBefore.Select(shell.Source));
        lines.AddRange(change.Variables.Select(v => v.Value is null ? shell.Unset(v.Key) : shell.Export(v.Key, v.Value)));
        if (changePrompt && change.PromptModifier is { } modifier && shell.Prompt(modifier, environment) is { } prompt)
        {
            lines.Add(prompt);
        }

        lines.AddRange(change.ScriptsAfter.Select(shell.Source));
        return string.Join(shell.NewLine, lines) + shell.NewLine;
    }
}
