using System.Collections;
using System.CommandLine;
using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Shell;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait shell hook --shell bash|zsh|fish|powershell</c> prints the <c>krait</c> shell function (add
/// <c>eval "$(krait shell hook --shell bash)"</c> to the shell's startup file); through it, <c>krait activate ENV</c>
/// and <c>krait deactivate</c> change the current shell, using <c>krait shell activate|deactivate</c>.
/// </summary>
public static class ShellCommand
{
    public static Command Create()
    {
        var shell = new Option<string>("--shell", "-s") { Description = "bash, zsh, fish or powershell", DefaultValueFactory = _ => "bash" };
        shell.AcceptOnlyFromAmong([.. ShellSyntax.Names, "pwsh", "sh"]);
        shell.Recursive = true;

        var hook = new Command("hook", "Print the shell function that makes `krait activate` work.");
        hook.SetAction(parse => CommandRunner.Run(json: false, () =>
        {
            var syntax = ShellSyntax.For(parse.GetValue(shell)!);
            Console.WriteLine(syntax.Hook(SelfCommand(syntax)));
            return 0;
        }));

        var environment = new Argument<string>("environment") { Description = "name or path of the environment", DefaultValueFactory = _ => "base" };
        var activate = new Command("activate", "Print the shell code that activates an environment.") { environment };
        activate.SetAction(parse => CommandRunner.Run(json: false, () =>
        {
            var target = parse.GetValue(environment)!;
            var looksLikePath = target.Contains('/', StringComparison.Ordinal) || target.Contains('\\', StringComparison.Ordinal) || target.StartsWith('.');
            var locations = KraitLocations.Resolve(CondaConfig.Load());
            var prefix = looksLikePath ? EnvironmentLocator.Resolve(null, target, locations) : EnvironmentLocator.Resolve(target, null, locations);
            if (!prefix.IsEnvironment)
            {
                throw new KraitException("EnvironmentLocationNotFound", $"{prefix} is not a conda environment");
            }

            var name = looksLikePath ? prefix.Path : target;
            Console.Write(Activation.Activate(ShellSyntax.For(parse.GetValue(shell)!), prefix.Path, name, CurrentEnvironment(), OperatingSystem.IsWindows()));
            return 0;
        }));

        var deactivate = new Command("deactivate", "Print the shell code that deactivates the active environment.");
        deactivate.SetAction(parse => CommandRunner.Run(json: false, () =>
        {
            Console.Write(Activation.Deactivate(ShellSyntax.For(parse.GetValue(shell)!), CurrentEnvironment()));
            return 0;
        }));

        return new Command("shell", "Shell integration: hook, activate, deactivate.") { shell, hook, activate, deactivate };
    }

    /// <summary>The variables of this process, which activation starts from.</summary>
    internal static Dictionary<string, string?> CurrentEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return variables;
    }

    /// <summary>How the shell function calls this krait: the native binary, or `dotnet krait.dll` when run through the host.</summary>
    private static string SelfCommand(ShellSyntax syntax)
    {
        var process = Environment.ProcessPath ?? "krait";
        var name = Path.GetFileNameWithoutExtension(process);
        return name == "dotnet"
            ? $"{syntax.Quote(process)} {syntax.Quote(Path.Combine(AppContext.BaseDirectory, "krait.dll"))}"
            : syntax.Quote(process);
    }
}
