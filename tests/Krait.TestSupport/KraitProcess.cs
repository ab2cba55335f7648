using System.Diagnostics;

namespace Krait.TestSupport;

/// <summary>The outcome of running the real <c>krait</c> program.</summary>
public sealed record KraitResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs the built <c>krait</c> CLI as a separate process with a controlled environment: a fresh HOME and no
/// inherited conda settings, so tests see only what they set.
/// </summary>
public static class KraitProcess
{
    private static readonly string[] InheritedConda = ["CONDARC", "CONDA_PREFIX", "CONDA_SHLVL", "CONDA_DEFAULT_ENV", "_KRAIT_OLD_PATH", "CONDA_PKGS_DIRS", "CONDA_ENVS_PATH", "CONDA_ENVS_DIRS", "CONDA_SUBDIR", "KRAIT_ROOT_PREFIX"];

    /// <summary>The krait.dll built beside the tests, in the same configuration (Debug or Release).</summary>
    public static string CliPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepoPaths.Root, "src", "Krait.Cli", "bin", configuration, "net10.0", "krait.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"build the CLI first: {path} is missing", path);
        }
    }

    /// <param name="input">What krait reads on stdin (a prompt's answers), then the end of the input.</param>
    public static KraitResult Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, string? input = null)
    {
        using var home = new TempFolder("home");
        Directory.CreateDirectory(home);
        var start = StartInfo(arguments, home, environment, workingDirectory);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input ?? string.Empty);
        process.StandardInput.Close(); // the end of the input: what a prompt reads from a script run with </dev/null
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"krait {string.Join(' ', arguments)} did not finish in 2 minutes");
        }

        return new KraitResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts krait without waiting, with <paramref name="home"/> as its HOME and its output discarded (for tests that kill it).</summary>
    /// <param name="interruptible">
    /// Start krait as a terminal would, with SIGINT at its default disposition (Linux): a test process started as a
    /// background job of a non-interactive shell ignores SIGINT, and every child inherits that, so a test of Ctrl-C
    /// would otherwise find krait deaf to it.
    /// </param>
    public static Process Start(IEnumerable<string> arguments, string home, IReadOnlyDictionary<string, string>? environment = null, bool interruptible = false)
    {
        var start = StartInfo(arguments, home, environment, null);
        if (interruptible && OperatingSystem.IsLinux())
        {
            // env resets the disposition and execs dotnet in the same process, so the caller signals the right pid.
            start.ArgumentList.Insert(0, start.FileName);
            start.ArgumentList.Insert(0, "--default-signal=INT");
            start.FileName = "env";
        }

        start.RedirectStandardInput = true;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments, string home, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in InheritedConda)
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }
}
