using System.Diagnostics;
using System.Text;

namespace Krait.Build.Building;

/// <summary>
/// One bash script of a build or of a recipe's test: the <c>activate.d</c> scripts of the environments named by
/// <c>activate</c> (the variables holding their prefixes), then the body, traced; run with exactly the given
/// variables and nothing of the caller's environment. Its output goes to the log line by line as it comes.
/// </summary>
internal static class BashScript
{
    /// <returns>bash's exit code and the last <paramref name="keepLines"/> lines of output, for an error message.</returns>
    public static (int ExitCode, string LastLines) Run(string scriptFile, string workingDirectory, IReadOnlyList<string> activate, string body, IReadOnlyDictionary<string, string> variables, TextWriter log, int keepLines)
    {
        var text = new StringBuilder("set -eo pipefail\n")
            .Append("for __krait_script in ").AppendJoin(' ', activate.Select(v => $"\"${v}\"/etc/conda/activate.d/*.sh")).Append("; do\n")
            .Append("    if [ -f \"$__krait_script\" ]; then . \"$__krait_script\"; fi\n")
            .Append("done\n")
            .Append("unset __krait_script\n")
            .Append("set -x\n")
            .Append(body).Append('\n');
        File.WriteAllText(scriptFile, text.ToString());

        var start = new ProcessStartInfo("/bin/bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(scriptFile);
        start.Environment.Clear();
        foreach (var (key, value) in variables)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new BuildException("bash could not be started");
        var gate = new Lock();
        var kept = new Queue<string>();
        void Forward(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (gate)
            {
                log.WriteLine(e.Data);
                kept.Enqueue(e.Data);
                if (kept.Count > keepLines)
                {
                    kept.Dequeue();
                }
            }
        }

        process.OutputDataReceived += Forward;
        process.ErrorDataReceived += Forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return (process.ExitCode, string.Join('\n', kept));
    }
}
