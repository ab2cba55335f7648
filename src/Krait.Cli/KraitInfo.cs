using System.Reflection;

namespace Krait.Cli;

/// <summary>Krait's own version, as built.</summary>
public static class KraitInfo
{
    public static string Version { get; } = ReadVersion();

    public static string UserAgent => $"krait/{Version}";

    private static string ReadVersion()
    {
        var informational = typeof(KraitInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
