using System.Runtime.InteropServices;

namespace Krait.Conda.Platforms;

/// <summary>conda's platform subdirectories (<c>linux-64</c>, <c>osx-arm64</c>, <c>noarch</c>…) and the one this machine is.</summary>
public static class Platform
{
    public const string NoArch = "noarch";

    /// <summary>Every subdir conda knows, in conda's order.</summary>
    public static IReadOnlyList<string> KnownSubdirs { get; } =
    [
        "emscripten-wasm32", "wasi-wasm32", "freebsd-64",
        "linux-32", "linux-64", "linux-aarch64", "linux-armv6l", "linux-armv7l", "linux-ppc64", "linux-ppc64le", "linux-riscv64", "linux-s390x",
        "osx-64", "osx-arm64", "win-32", "win-64", "win-arm64", "zos-z", NoArch,
    ];

    public static bool IsKnown(string subdir) => KnownSubdirs.Contains(subdir, StringComparer.Ordinal);

    /// <summary>Checks a user-given platform, naming the valid ones when it is not.</summary>
    public static string Validate(string subdir)
    {
        ArgumentNullException.ThrowIfNull(subdir);
        if (!IsKnown(subdir))
        {
            throw new ArgumentException($"unknown platform '{subdir}'; valid platforms are: {string.Join(", ", KnownSubdirs)}", nameof(subdir));
        }

        return subdir;
    }

    /// <summary>
    /// The subdir this process was built for and runs as (its operating system and architecture). The machine's
    /// configured subdir, which <c>CONDA_SUBDIR</c> can change, is Krait.Configuration's <c>MachinePlatform</c>.
    /// </summary>
    public static string Native
    {
        get
        {
            var architecture = RuntimeInformation.OSArchitecture;
            if (OperatingSystem.IsMacOS())
            {
                return architecture == Architecture.Arm64 ? "osx-arm64" : "osx-64";
            }

            if (OperatingSystem.IsWindows())
            {
                return architecture switch
                {
                    Architecture.Arm64 => "win-arm64",
                    Architecture.X86 => "win-32",
                    _ => "win-64",
                };
            }

            if (OperatingSystem.IsFreeBSD())
            {
                return "freebsd-64";
            }

            return architecture switch
            {
                Architecture.Arm64 => "linux-aarch64",
                Architecture.Arm => "linux-armv7l",
                Architecture.X86 => "linux-32",
                Architecture.Ppc64le => "linux-ppc64le",
                Architecture.S390x => "linux-s390x",
                Architecture.RiscV64 => "linux-riscv64",
                _ => "linux-64",
            };
        }
    }

    /// <summary>The operating-system family of a subdir: <c>linux</c>, <c>osx</c>, <c>win</c>…, or null for noarch.</summary>
    public static string? OperatingSystemOf(string subdir)
    {
        var dash = subdir.IndexOf('-', StringComparison.Ordinal);
        return subdir == NoArch || dash < 0 ? null : subdir[..dash];
    }

    /// <summary>
    /// conda's <c>arch</c> of a subdir (<c>info/index.json</c>, <c>__archspec</c>'s fallback, the <c>x86_64</c>
    /// selector): <c>linux-64</c> is <c>x86_64</c>, <c>linux-32</c> is <c>x86</c>, the others name themselves
    /// (<c>aarch64</c>, <c>arm64</c>, <c>ppc64le</c>); none for <c>noarch</c>.
    /// </summary>
    public static string? ArchitectureOf(string subdir)
    {
        ArgumentNullException.ThrowIfNull(subdir);
        var dash = subdir.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? null : subdir[(dash + 1)..] switch
        {
            "64" => "x86_64",
            "32" => "x86",
            var other => other,
        };
    }

    public static bool IsUnix(string subdir) => OperatingSystemOf(subdir) is "linux" or "osx" or "freebsd";
}
