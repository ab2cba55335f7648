using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Krait.Conda.Platforms;
using Krait.Conda.VirtualPackages;

namespace Krait.Configuration.VirtualPackages;

/// <summary>
/// The virtual packages of a platform (CEP-30), detected on this machine and overridable with conda's
/// <c>CONDA_OVERRIDE_*</c> variables (an empty value removes the package). For a target platform other than
/// the host's, only what does not need the machine is reported: the OS family, overrides, and the architecture.
/// </summary>
public static partial class VirtualPackageDetector
{
    /// <param name="platform">The target subdir (default: this machine's).</param>
    /// <param name="environment">Where to read overrides from (default: the process environment).</param>
    public static IReadOnlyList<VirtualPackage> Detect(string? platform = null, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        platform ??= MachinePlatform.Current;
        var host = MachinePlatform.Current;
        var native = Platform.OperatingSystemOf(platform) == Platform.OperatingSystemOf(host);
        var packages = new List<VirtualPackage>();
        var os = Platform.OperatingSystemOf(platform);
        switch (os)
        {
            case "linux":
                AddVersioned(packages, "__linux", environment("CONDA_OVERRIDE_LINUX"), native ? KernelVersion() : "0");
                AddVersioned(packages, "__glibc", environment("CONDA_OVERRIDE_GLIBC"), native ? NativeProbes.GlibcVersion() : "2.17");
                break;
            case "osx":
                AddVersioned(packages, "__osx", environment("CONDA_OVERRIDE_OSX"), native ? MacOsVersion() : null);
                break;
            case "win":
                AddVersioned(packages, "__win", environment("CONDA_OVERRIDE_WIN"), native ? Environment.OSVersion.Version.ToString(3) : "0");
                break;
        }

        if (Platform.IsUnix(platform))
        {
            packages.Add(new VirtualPackage("__unix", "0", "0"));
        }

        if (platform != Platform.NoArch)
        {
            var cuda = environment("CONDA_OVERRIDE_CUDA");
            AddVersioned(packages, "__cuda", cuda, cuda is null && native && os is "linux" or "win" ? NativeProbes.CudaDriverVersion() : null);
            var archspec = environment("CONDA_OVERRIDE_ARCHSPEC");
            var microarchitecture = string.IsNullOrEmpty(archspec) ? (platform == host ? HostMicroarchitecture() : (Platform.ArchitectureOf(platform) ?? platform)) : archspec;
            packages.Add(new VirtualPackage("__archspec", "1", microarchitecture));
        }

        return packages;
    }

    /// <summary>An override wins (empty means "absent"); otherwise the detected version, if any.</summary>
    private static void AddVersioned(List<VirtualPackage> packages, string name, string? overridden, string? detected)
    {
        var version = overridden ?? detected;
        if (!string.IsNullOrEmpty(version))
        {
            packages.Add(new VirtualPackage(name, version, "0"));
        }
    }

    private static string? KernelVersion()
    {
        try
        {
            var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
            var match = LeadingVersion().Match(release);
            return match.Success ? match.Value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? MacOsVersion() =>
        OperatingSystem.IsMacOS() ? Environment.OSVersion.Version.ToString(Environment.OSVersion.Version.Build >= 0 ? 3 : 2) : null;

    /// <summary>
    /// The host's microarchitecture, coarsely: on x86-64 the psABI level (x86_64, x86_64_v2…v4) from the CPU flags;
    /// elsewhere the architecture. (archspec's full table of named CPU models is not reproduced.)
    /// </summary>
    private static string HostMicroarchitecture()
    {
        if (RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            return Platform.ArchitectureOf(MachinePlatform.Current) ?? MachinePlatform.Current;
        }

        var flags = CpuFlags();
        if (flags.Count == 0)
        {
            return "x86_64";
        }

        string[] v2 = ["cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3"];
        string[] v3 = ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"];
        string[] v4 = ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"];
        if (!v2.All(flags.Contains))
        {
            return "x86_64";
        }

        if (!v3.All(flags.Contains))
        {
            return "x86_64_v2";
        }

        return v4.All(flags.Contains) ? "x86_64_v4" : "x86_64_v3";
    }

    private static HashSet<string> CpuFlags()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("flags", StringComparison.Ordinal))
                {
                    return [.. line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return [];
    }

    [GeneratedRegex(@"^\d+(\.\d+)*")]
    private static partial Regex LeadingVersion();
}
