using System.CommandLine;
using System.Diagnostics;
using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Shell;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait run (-n NAME | -p PREFIX) COMMAND [ARGS...]</c>: runs a program inside an environment, as <c>conda run</c>
/// does: the environment activated exactly as the shell hooks activate it (one <see cref="ActivationChange"/>: PATH,
/// <c>CONDA_PREFIX</c>, <c>CONDA_DEFAULT_ENV</c>, <c>CONDA_SHLVL</c>, the <c>activate.d/*.sh</c> scripts sourced
/// through <c>sh</c>), and the program's exit code returned.
/// Everything after the command belongs to the command, so it is parsed here rather than by the option parser.
/// </summary>
public static class RunCommand
{
    /// <summary>For <c>krait --help</c> only; <see cref="Execute"/> does the work.</summary>
    public static Command Create()
    {
        var command = new Command("run", "Run a command in an environment: krait run (-n NAME | -p PREFIX) [--cwd DIR] COMMAND [ARGS...] (output is never captured: --no-capture-output and --live-stream are accepted)");
        command.Arguments.Add(new Argument<string[]>("command") { Arity = ArgumentArity.OneOrMore });
        return command;
    }

    private const string Usage = "usage: krait run (-n NAME | -p PREFIX) [--cwd DIR] COMMAND [ARGS...]";

    public static int Execute(IReadOnlyList<string> args) => CommandRunner.Run(json: false, () =>
    {
        string? name = null, prefix = null, workingDirectory = null;
        var i = 0;
        while (i < args.Count && args[i].StartsWith('-'))
        {
            switch (args[i])
            {
                case "-n" or "--name" when i + 1 < args.Count:
                    name = args[i + 1];
                    i += 2;
                    break;
                case "-p" or "--prefix" when i + 1 < args.Count:
                    prefix = args[i + 1];
                    i += 2;
                    break;
                case "--cwd" when i + 1 < args.Count:
                    workingDirectory = args[i + 1];
                    i += 2;
                    break;
                case "--no-capture-output" or "--live-stream":
                    // conda run buffers output unless told not to; krait run never captures it, so these change nothing.
                    i++;
                    break;
                case "--":
                    i++;
                    goto done;
                default:
                    return UsageErrors.Report($"unknown option '{args[i]}' before the command", Usage);
            }
        }

    done:
        if (i >= args.Count)
        {
            return UsageErrors.Report("no command to run", Usage);
        }

        var locations = KraitLocations.Resolve(CondaConfig.Load());
        var target = EnvironmentLocator.Resolve(name, prefix, locations);
        if (!target.IsEnvironment)
        {
            throw new KraitException("EnvironmentLocationNotFound", $"{target} is not a conda environment");
        }

        Installing.ChangeRunner.RepairIfInterrupted(target);
        var start = StartInfo(target.Path, ActivationSettings.NameOf(target.Path, locations), args.Skip(i).ToList());
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = Directory.Exists(workingDirectory)
                ? Path.GetFullPath(workingDirectory)
                : throw new KraitException("DirectoryNotFoundError", $"--cwd {workingDirectory}: no such folder");
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // What a shell answers (and conda run, through one): 127 for a command not found, 126 for one that cannot run.
            var found = File.Exists(start.FileName);
            Console.Error.WriteLine(found
                ? $"error: {args[i]}: cannot be run ({e.Message})"
                : $"error: {args[i]}: command not found in {target} or on PATH");
            return found ? 126 : 127;
        }

        using (process)
        {
            if (process is null)
            {
                throw new KraitException("CondaError", $"could not start {args[i]}");
            }

            process.WaitForExit();
            return process.ExitCode;
        }
    });

    /// <summary>
    /// The command with the environment activated as the shell hooks activate it (<see cref="ActivationChange"/>):
    /// its variables set, and its activate.d scripts (and an active environment's deactivate.d scripts before them)
    /// sourced by <c>sh</c>, which then becomes the command.
    /// </summary>
    private static ProcessStartInfo StartInfo(string prefix, string name, List<string> command)
    {
        var windows = OperatingSystem.IsWindows();
        var change = ActivationChange.Activate(prefix, name, ShellCommand.CurrentEnvironment(), windows, ".sh");
        var scripts = windows ? [] : change.ScriptsBefore.Concat(change.ScriptsAfter).ToList();
        ProcessStartInfo start;
        if (scripts.Count > 0)
        {
            start = new ProcessStartInfo("/bin/sh");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(string.Concat(scripts.Select(s => $". '{s.Replace("'", "'\\''", StringComparison.Ordinal)}'; ")) + "exec \"$@\"");
            start.ArgumentList.Add("krait-run");
        }
        else
        {
            start = new ProcessStartInfo(ResolveExecutable(command[0], ActivationChange.PathFolders(prefix, windows)));
            command = command.Skip(1).ToList();
        }

        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        start.UseShellExecute = false;
        foreach (var (variable, value) in change.Variables)
        {
            if (value is null)
            {
                start.Environment.Remove(variable);
            }
            else
            {
                start.Environment[variable] = value;
            }
        }

        return start;
    }

    /// <summary>The command's path when the environment has it (so the environment's program wins over the system's).</summary>
    private static string ResolveExecutable(string command, IReadOnlyList<string> folders)
    {
        if (command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return command;
        }

        foreach (var folder in folders)
        {
            var candidate = Path.Combine(folder, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return command;
    }
}
