using Krait.Conda.Platforms;

namespace Krait.Configuration;

/// <summary>The subdir Krait installs for on this machine: <c>CONDA_SUBDIR</c> when set, else the process's own (<see cref="Platform.Native"/>).</summary>
public static class MachinePlatform
{
    public static string Current => Environment.GetEnvironmentVariable("CONDA_SUBDIR") is { Length: > 0 } overridden ? overridden : Platform.Native;
}
