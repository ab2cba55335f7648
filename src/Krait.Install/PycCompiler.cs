using System.Diagnostics;

namespace Krait.Install;

/// <summary>
/// Byte-compiles the <c>.py</c> files of <c>noarch: python</c> packages with the environment's own python (the
/// <c>.pyc</c> files a package built for one python cannot ship), as conda does at link time, so that the first
/// import does not write into the environment. A python that cannot run leaves the files uncompiled, with a warning.
/// </summary>
public static class PycCompiler
{
    /// <summary>
    /// Where python caches the compiled form of <paramref name="source"/> (<c>dir/__pycache__/name.cpython-XY.pyc</c>),
    /// or null for a file python does not compile.
    /// </summary>
    public static string? CachePath(string source, string pythonVersion)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(pythonVersion);
        if (!source.EndsWith(".py", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = pythonVersion.Split('.');
        if (parts.Length < 2 || !int.TryParse(parts[0], out var major) || major < 3)
        {
            return null;
        }

        var slash = source.LastIndexOf('/');
        var directory = slash < 0 ? string.Empty : source[..(slash + 1)];
        var stem = source[(slash + 1)..^3];
        return $"{directory}__pycache__/{stem}.cpython-{parts[0]}{new string([.. parts[1].TakeWhile(char.IsAsciiDigit)])}.pyc";
    }

    /// <summary>Compiles <paramref name="sources"/> (relative to the prefix); returns a warning when python could not.</summary>
    public static string? Compile(string prefix, string interpreter, IReadOnlyList<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var python = Path.Combine(prefix, interpreter);
        if (sources.Count == 0 || !File.Exists(python))
        {
            return null;
        }

        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = prefix,
        };
        foreach (var argument in new[] { "-Wi", "-m", "compileall", "-q", "-l", "-i", "-" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            foreach (var source in sources)
            {
                process.StandardInput.WriteLine(PrefixPaths.Under(prefix, source));
            }

            process.StandardInput.Close();
            process.WaitForExit();
            return process.ExitCode == 0
                ? null
                : $"python could not compile every file (exit code {process.ExitCode}); the rest are compiled on first import: {(output.Result + error.Result).Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            // Not a python that runs, or one that exits without reading the file list (a broken pipe).
            return $"the environment's python ({python}) could not compile ({e.Message}); .py files are compiled on first import instead";
        }
    }
}
