using System.Diagnostics;

namespace Krait.TestSupport;

/// <summary>Runs a program a test needs (python, cph, git, a built binary) and returns what it printed; a failure is an exception naming the program and its error output.</summary>
public static class ExternalProgram
{
    public static string Run(string program, params string[] arguments) => RunIn(null, program, arguments);

    /// <param name="workingDirectory">Where it runs; the test's own folder when null.</param>
    public static string RunIn(string? workingDirectory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed (exit code {process.ExitCode}): {error}");
    }
}
