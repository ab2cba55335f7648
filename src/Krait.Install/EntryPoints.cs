using System.Text.Json;

namespace Krait.Install;

/// <summary>
/// The console scripts of a <c>noarch: python</c> package (<c>info/link.json</c>: <c>"name = module:function"</c>),
/// written as small python launchers in the environment's scripts folder, as conda writes them.
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

            result.Add(new EntryPoint(name, text[(equals + 1)..colon].Trim(), text[(colon + 1)..].Trim()));
        }

        return result;
    }

    /// <summary>Where the launcher of <paramref name="point"/> goes, relative to the environment.</summary>
    public static string PathOf(PythonLayout python, EntryPoint point)
    {
        ArgumentNullException.ThrowIfNull(python);
        ArgumentNullException.ThrowIfNull(point);
        return $"{python.ScriptsDirectory}/{point.Name}{(python.IsWindows ? "-script.py" : string.Empty)}";
    }

    /// <summary>Writes one launcher into the environment at <paramref name="prefix"/>; returns its path relative to it.</summary>
    public static string Write(string prefix, PythonLayout python, EntryPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var relative = PathOf(python, point);
        var target = PrefixPaths.Under(prefix, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var interpreter = Path.Combine(prefix, python.Interpreter);
        var import = point.Function.Split('.')[0];
        File.WriteAllText(target, $"""
            #!{interpreter}
            # -*- coding: utf-8 -*-
            import re
            import sys

            from {point.Module} import {import}

            if __name__ == '__main__':
                sys.argv[0] = re.sub(r'(-script\.pyw?|\.exe)?$', '', sys.argv[0])
                sys.exit({point.Function}())

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
        }

        return relative;
    }
}
