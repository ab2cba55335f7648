using Krait.Conda.Platforms;
using Krait.Conda.Records;

namespace Krait.Install;

/// <summary>
/// Where an environment's python keeps things, for <c>noarch: python</c> packages: its site-packages (the python
/// record's <c>python_site_packages_path</c>, else <c>lib/pythonX.Y/site-packages</c>), its scripts folder and its
/// interpreter.
/// </summary>
public sealed record PythonLayout(string SitePackages, string ScriptsDirectory, string Interpreter, bool IsWindows)
{
    /// <summary>The layout of the python among <paramref name="records"/>, or null when the environment has none.</summary>
    public static PythonLayout? From(IEnumerable<PackageRecord> records, string platform)
    {
        var python = records.FirstOrDefault(r => r.Name == "python");
        if (python is null)
        {
            return null;
        }

        var windows = Platform.OperatingSystemOf(platform) == "win";
        var parts = python.Version.Split('.');
        var sitePackages = python.PythonSitePackagesPath
            ?? (windows ? "Lib/site-packages" : $"lib/python{parts[0]}.{(parts.Length > 1 ? parts[1] : "0")}/site-packages");
        return new PythonLayout(sitePackages, windows ? "Scripts" : "bin", windows ? "python.exe" : "bin/python", windows);
    }

    /// <summary>Maps a path of a noarch python package to where it goes in the environment.</summary>
    public string Map(string packagePath)
    {
        if (packagePath.StartsWith("site-packages/", StringComparison.Ordinal))
        {
            return $"{SitePackages}/{packagePath["site-packages/".Length..]}";
        }

        return packagePath.StartsWith("python-scripts/", StringComparison.Ordinal)
            ? $"{ScriptsDirectory}/{packagePath["python-scripts/".Length..]}"
            : packagePath;
    }
}
