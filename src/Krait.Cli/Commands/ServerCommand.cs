using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Krait.Cli.Output;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait server …</c>: Krait Server's administration (<c>init HOME</c>, <c>run HOME</c>, …) is the separate
/// program <c>krait-server</c> (ASP.NET Core on the JIT; the client stays a small NativeAOT binary that knows no
/// ASP.NET), found in <c>KRAIT_SERVER_EXE</c>, beside <c>krait</c>, or on PATH. Its arguments, output and exit code
/// pass through unchanged; a signal to krait reaches the server.
/// </summary>
public static class ServerCommand
{
    private static readonly string ExecutableName = OperatingSystem.IsWindows() ? "krait-server.exe" : "krait-server";

    public static Command Create()
    {
        var arguments = new Argument<string[]>("arguments") { Description = "init HOME [--json] | run HOME [--urls URL] (see krait server --help)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("server", "Run and administer Krait Server (the program krait-server).") { arguments };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse => CommandRunner.Run(json: false, () => Forward([.. parse.GetValue(arguments) ?? [], .. parse.UnmatchedTokens])));
        return command;
    }

    private static int Forward(IReadOnlyList<string> arguments)
    {
        var (program, prefix) = Locate() ?? throw new KraitException(
            "CondaError",
            "krait-server is not installed beside krait or on PATH",
            "install both with ./install.sh, or set KRAIT_SERVER_EXE to the krait-server program (or its krait-server.dll)");
        var start = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (var argument in prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new KraitException("CondaError", $"could not start {program}");
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Signal(process);
        });
        Console.CancelKeyPress += (_, e) => e.Cancel = true; // the terminal sends Ctrl-C to the server too; krait waits for it to stop
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Passes SIGTERM on (the server then stops gracefully); where there is no kill(1), stops it outright.</summary>
    private static void Signal(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            kill?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            process.Kill(entireProcessTree: false);
        }
    }

    /// <summary>The program to start and the arguments before the user's (<c>dotnet krait-server.dll</c> for a framework-dependent build).</summary>
    private static (string Program, string[] Prefix)? Locate()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("KRAIT_SERVER_EXE") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        candidates.Add(Path.Combine(AppContext.BaseDirectory, ExecutableName));
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "krait-server.dll"));
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(Path.Combine(folder, ExecutableName));
        }

        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ("dotnet", [candidate]) : (candidate, []);
            }
        }

        return null;
    }
}
