using System.Text.Json;

namespace Krait.Install;

/// <summary>
/// The console scripts of a <c>noarch: python</c> package (<c>info/link.json</c>: <c>"name = module:function"</c>),
/// written as small python launchers in the environment's scripts folder, as conda writes them: <c>bin/NAME</c> with
/// the environment's python in its shebang; on Windows <c>Scripts\NAME-script.py</c> and beside it a launcher that
/// runs it with the environment's <c>python.exe</c>. conda's launcher there is <c>NAME.exe</c>, a copy of the
/// <c>cli-64.exe</c> binary conda ships; Krait ships no Windows binary, so its launcher is <c>NAME.bat</c> (the form
/// conda-build used to write), which cmd.exe and PowerShell run by name just the same.
/// </summary>
public static class EntryPoints
{
    public static IReadOnlyList<EntryPoint> Read(string extracted)
    {
        var path = Path.Combine(extracted, "info", "link.json");
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (!document.RootElement.TryGetProperty("noarch", out var noarch) || !noarch.TryGetProperty("entry_points", out var points) || points.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var result = new List<EntryPoint>();
        foreach (var point in points.EnumerateArray())
        {
            var text = point.GetString() ?? string.Empty;
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var colon = text.IndexOf(':', equals + 1);
            if (equals <= 0 || colon < 0)
            {
                throw new InstallException($"{path}: invalid entry point '{text}' (expected 'name = module:function')");
            }

            var name = text[..equals].Trim();
            if (name.Length == 0 || name.AsSpan().IndexOfAny("/\\") >= 0 || name is "." or "..")
            {
                throw new InstallException($"{path}: invalid entry point name '{name}'");
            }

            var module = text[(equals + 1)..colon].Trim();
            var function = text[(colon + 1)..].Trim();
            if (!IsDottedName(module) || !IsDottedName(function))
            {
                // Both are written into the launcher's Python source: anything but dotted names would be code.
                throw new InstallException($"{path}: invalid entry point '{text}' (module and function must be dotted Python names)");
            }

            result.Add(new EntryPoint(name, module, function));
        }

        return result;
    }

    /// <summary>The files <paramref name="point"/> becomes, relative to the environment: the script, then on Windows its launcher.</summary>
    public static IReadOnlyList<string> PathsOf(PythonLayout python, EntryPoint point)
    {
        ArgumentNullException.ThrowIfNull(python);
        ArgumentNullException.ThrowIfNull(point);
        return python.IsWindows
            ? [$"{python.ScriptsDirectory}/{point.Name}-script.py", $"{python.ScriptsDirectory}/{point.Name}.bat"]
            : [$"{python.ScriptsDirectory}/{point.Name}"];
    }

    /// <summary>
    /// Writes one of the files of <see cref="PathsOf"/> to <paramref name="target"/> (resolved inside the environment
    /// at <paramref name="prefix"/>; nothing may be there yet): a <c>.bat</c> target gets the Windows launcher.
    /// </summary>
    public static void Write(string target, string prefix, PythonLayout python, EntryPoint point)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(python);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (python.IsWindows && target.EndsWith(".bat", StringComparison.Ordinal))
        {
            // Relative to the launcher's own folder (%~dp0 is Scripts\), so that a moved or renamed environment still runs.
            var depth = string.Concat(Enumerable.Repeat("..\\", python.ScriptsDirectory.Count(c => c == '/') + 1));
            using var launcher = new StreamWriter(new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1));
            launcher.Write($"@echo off\r\n\"%~dp0{depth}{python.Interpreter.Replace('/', '\\')}\" \"%~dp0{point.Name}-script.py\" %*\r\n");
            return;
        }

        var interpreter = Path.Combine(prefix, python.Interpreter);
        var import = point.Function.Split('.')[0];
        using (var output = new StreamWriter(new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1)))
        {
            output.Write($"""
            #!{interpreter}
            # -*- coding: utf-8 -*-
            import re
            import sys

            from {point.Module} import {import}

            if __name__ == '__main__':
                sys.argv[0] = re.sub(r'(-script\.pyw?|\.exe)?$', '', sys.argv[0])
                sys.exit({point.Function}())

            """);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
        }
    }

    private static bool IsDottedName(string text) =>
        text.Length > 0 && text.Split('.').All(part => part.Length > 0 && (char.IsLetter(part[0]) || part[0] == '_') && part.All(c => char.IsLetterOrDigit(c) || c == '_'));
}
