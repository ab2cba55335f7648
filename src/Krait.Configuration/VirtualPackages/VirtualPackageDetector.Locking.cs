using Krait.Conda.Platforms;
using Krait.Conda.VirtualPackages;

namespace Krait.Configuration.VirtualPackages;

public static partial class VirtualPackageDetector
{
    /// <summary>
    /// The virtual packages a lockfile is solved with: fixed per platform, not read from this machine, so that the
    /// same environment file locks the same way on every machine (conda-lock's model). The floors are the oldest systems
    /// conda-forge builds for: glibc 2.17 and Linux 4.18, macOS 10.15 on Intel and 11.0 on Apple silicon. No
    /// <c>__cuda</c> unless <c>CONDA_OVERRIDE_CUDA</c> asks for one; every other <c>CONDA_OVERRIDE_*</c> is honoured too.
    /// </summary>
    public static IReadOnlyList<VirtualPackage> ForLocking(string platform, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(platform);
        environment ??= Environment.GetEnvironmentVariable;
        var packages = new List<VirtualPackage>();
        switch (Platform.OperatingSystemOf(platform))
        {
            case "linux":
                AddVersioned(packages, "__linux", environment("CONDA_OVERRIDE_LINUX"), "4.18");
                AddVersioned(packages, "__glibc", environment("CONDA_OVERRIDE_GLIBC"), "2.17");
                break;
            case "osx":
                AddVersioned(packages, "__osx", environment("CONDA_OVERRIDE_OSX"), platform == "osx-arm64" ? "11.0" : "10.15");
                break;
            case "win":
                AddVersioned(packages, "__win", environment("CONDA_OVERRIDE_WIN"), "0");
                break;
        }

        if (Platform.IsUnix(platform))
        {
            packages.Add(new VirtualPackage("__unix", "0", "0"));
        }

        if (platform != Platform.NoArch)
        {
            AddVersioned(packages, "__cuda", environment("CONDA_OVERRIDE_CUDA"), null);
            var archspec = environment("CONDA_OVERRIDE_ARCHSPEC");
            packages.Add(new VirtualPackage("__archspec", "1", string.IsNullOrEmpty(archspec) ? (Platform.ArchitectureOf(platform) ?? platform) : archspec));
        }

        return packages;
    }
}
