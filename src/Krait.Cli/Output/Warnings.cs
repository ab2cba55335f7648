namespace Krait.Cli.Output;

/// <summary>
/// What a command skipped or doubted (a record of a channel that cannot be trusted, a link script not run) goes to
/// standard error as <c>warning: …</c> lines, each once, whatever the output format: the user learns of it, and
/// <c>--json</c> output on standard output stays clean.
/// </summary>
internal static class Warnings
{
    public static void Write(IEnumerable<string> warnings)
    {
        foreach (var warning in warnings.Distinct(StringComparer.Ordinal))
        {
            Console.Error.WriteLine($"warning: {Krait.Conda.Channels.Channel.Redact(warning)}");
        }
    }
}
