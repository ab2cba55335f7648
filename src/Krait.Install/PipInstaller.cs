using System.Diagnostics;

namespace Krait.Install;

/// <summary>
/// Runs pip in an environment's own python for the <c>pip:</c> section of an <c>environment.yml</c>, as conda does:
/// the section's lines become a requirements file in the environment file's folder (so that relative paths, <c>-r</c>
/// and <c>-e .</c> mean what the user wrote) and <c>python -m pip install -U -r FILE</c> runs there, with the
/// environment first on PATH. pip finds its indexes where pip is configured to (<c>pip.conf</c>,
/// <c>PIP_INDEX_URL</c>) or in the section's own options; Krait adds none.
/// </summary>
public static class PipInstaller
{
    /// <summary>Whether <paramref name="layout"/>'s python has pip (its package folder in site-packages).</summary>
    public static bool HasPip(Prefix prefix, PythonLayout layout)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(layout);
        return File.Exists(PrefixPaths.Under(prefix.Path, $"{layout.SitePackages}/pip/__init__.py"));
    }

    /// <summary>Installs <paramref name="requirements"/>; pip's own output goes to <paramref name="output"/>. Returns pip's exit code.</summary>
    /// <param name="workingDirectory">Where the requirements are read from: the environment file's folder.</param>
    public static int Install(Prefix prefix, PythonLayout layout, IReadOnlyList<string> requirements, string workingDirectory, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentNullException.ThrowIfNull(output);
        var requirementsFile = WriteRequirements(requirements, workingDirectory);
        try
        {
            var start = new ProcessStartInfo(PrefixPaths.Under(prefix.Path, layout.Interpreter))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            foreach (var argument in new[] { "-m", "pip", "install", "-U", "-r", requirementsFile, "--exists-action=b", "--disable-pip-version-check" })
            {
                start.ArgumentList.Add(argument);
            }

            var binaries = layout.IsWindows
                ? new[] { prefix.Path, Path.Combine(prefix.Path, "Library", "bin"), Path.Combine(prefix.Path, "Scripts") }
                : [Path.Combine(prefix.Path, "bin")];
            start.Environment["PATH"] = string.Join(Path.PathSeparator, [.. binaries, Environment.GetEnvironmentVariable("PATH") ?? string.Empty]);
            start.Environment["CONDA_PREFIX"] = prefix.Path;
            using var process = Process.Start(start)!;
            var lock_ = new Lock();
            void Forward(object sender, DataReceivedEventArgs e)
            {
                if (e.Data is not null)
                {
                    lock (lock_)
                    {
                        output.WriteLine(e.Data);
                    }
                }
            }

            process.OutputDataReceived += Forward;
            process.ErrorDataReceived += Forward;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.WaitForExit();
            output.Flush();
            return process.ExitCode;
        }
        finally
        {
            File.Delete(requirementsFile);
        }
    }

    /// <summary>The requirements file beside the environment file, as conda writes it; in the temporary folder when that folder is read-only.</summary>
    private static string WriteRequirements(IReadOnlyList<string> requirements, string workingDirectory)
    {
        var text = string.Join('\n', requirements) + "\n";
        var name = $"krait-env.{Guid.NewGuid():N}.requirements.txt";
        try
        {
            var path = Path.Combine(workingDirectory, name);
            File.WriteAllText(path, text);
            return path;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var path = Path.Combine(Path.GetTempPath(), name);
            File.WriteAllText(path, text);
            return path;
        }
    }
}
