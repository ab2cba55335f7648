using System.Collections;
using System.CommandLine;
using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Shell;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait shell hook --shell bash|zsh|fish|powershell|cmd.exe</c> prints the <c>krait</c> shell function (add
/// <c>eval "$(krait shell hook --shell bash)"</c> to the shell's startup file); through it, <c>krait activate ENV</c>
/// and <c>krait deactivate</c> change the current shell, using <c>krait shell activate|deactivate</c>.
/// </summary>
public static class ShellCommand
{
    public static Command Create()
    {
        var shell = new Option<string>("--shell", "-s") { Description = "bash, zsh, fish, powershell or cmd.exe", DefaultValueFactory = _ => "bash" };
        shell.AcceptOnlyFromAmong([.. ShellSyntax.Names, "pwsh", "sh", "cmd"]);
        shell.Recursive = true;

        var hook = new Command("hook", "Print the shell function that makes `krait activate` work.");
        hook.SetAction(parse => CommandRunner.Run(json: false, () =>
        {
            var syntax = ShellSyntax.For(parse.GetValue(shell)!);
            Console.WriteLine(syntax.Hook(SelfCommand(syntax), CondaConfig.Load().ChangePrompt));
            return 0;
        }));

        var environment = new Argument<string>("environment") { Description = "name or path of the environment (default: base)", DefaultValueFactory = _ => "base" };
        var stack = new Option<bool>("--stack") { Description = "keep the active environment's programs on PATH behind the new one's" };
        var noStack = new Option<bool>("--no-stack") { Description = "replace the active environment (the default unless auto_stack says otherwise)" };
        var activate = new Command("activate", "Print the shell code that activates an environment.") { environment, stack, noStack };
        activate.SetAction(parse => CommandRunner.Run(json: false, () =>
        {
            if (parse.GetValue(stack) && parse.GetValue(noStack))
            {
                throw new KraitException("ArgumentError", "give either --stack or --no-stack, not both");
            }

            var config = CondaConfig.Load();
            var locations = KraitLocations.Resolve(config);
            var target = parse.GetValue(environment)!;
            var prefix = ActivationSettings.Locate(target, locations);
            var variables = CurrentEnvironment();
            var stacking = parse.GetValue(stack) || (!parse.GetValue(noStack) && ActivationSettings.AutoStack(config, variables));
            var syntax = ShellSyntax.For(parse.GetValue(shell)!);
            var change = ActivationChange.Activate(prefix.Path, ActivationSettings.NameOf(prefix.Path, locations), variables, OperatingSystem.IsWindows(), syntax.ScriptExtension, stacking);
            Console.Write(Activation.Render(syntax, change, variables, config.ChangePrompt));
            return 0;
        }));

        var deactivate = new Command("deactivate", "Print the shell code that deactivates the active environment.");
        deactivate.SetAction(parse => CommandRunner.Run(json: false, () =>
        {
            var config = CondaConfig.Load();
            var locations = KraitLocations.Resolve(config);
            var variables = CurrentEnvironment();
            var syntax = ShellSyntax.For(parse.GetValue(shell)!);
            var change = ActivationChange.Deactivate(variables, OperatingSystem.IsWindows(), syntax.ScriptExtension, previous => ActivationSettings.NameOf(previous, locations));
            Console.Write(Activation.Render(syntax, change, variables, config.ChangePrompt));
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
