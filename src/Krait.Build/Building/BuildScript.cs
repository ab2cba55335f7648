using System.Globalization;
using Krait.Build.Rendering;
using Krait.Conda.Platforms;

namespace Krait.Build.Building;

/// <summary>
/// Runs a package's build script the way conda-build and rattler-build do: bash, in the source folder, after the
/// activation scripts of the host and then the build environment, with conda-build's variables (<c>PREFIX</c>,
/// <c>BUILD_PREFIX</c>, <c>SRC_DIR</c>, <c>RECIPE_DIR</c>, <c>PKG_NAME</c>, <c>PKG_VERSION</c>,
/// <c>PKG_BUILDNUM</c>, <c>PKG_BUILD_STRING</c>, <c>PKG_HASH</c>, <c>PYTHON</c>, <c>SP_DIR</c>, <c>PY_VER</c>,
/// <c>CPU_COUNT</c>, <c>SHLIB_EXT</c>, <c>target_platform</c>, …) and nothing else of the caller's environment: PATH
/// is the two environments then the system's folders, HOME and TMPDIR are folders of the build.
/// </summary>
public static class BuildScript
{
    /// <summary>2000-01-01, the instant Krait's reproducible archives carry: tools that honour SOURCE_DATE_EPOCH write it too.</summary>
    public const long SourceDateEpoch = 946_684_800;

    public static IReadOnlyDictionary<string, string> Variables(RenderedPackage package, BuildFolders folders, string recipeDirectory, string? pythonVersion)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(folders);
        var platform = package.Subdir == Platform.NoArch ? Platform.Native : package.Subdir;
        var hash = package.BuildString.Split('_')[0];
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PREFIX"] = folders.HostPrefix,
            ["BUILD_PREFIX"] = folders.BuildPrefix,
            ["SRC_DIR"] = folders.Source,
            ["RECIPE_DIR"] = recipeDirectory,
            ["PKG_NAME"] = package.Output.Name,
            ["PKG_VERSION"] = package.Output.Version,
            ["PKG_BUILDNUM"] = package.Output.Build.Number.ToString(CultureInfo.InvariantCulture),
            ["PKG_BUILD_STRING"] = package.BuildString,
            ["PKG_HASH"] = hash.Contains('h', StringComparison.Ordinal) ? hash[hash.LastIndexOf('h')..] : hash,
            ["CPU_COUNT"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["target_platform"] = platform,
            ["build_platform"] = Platform.Native,
            ["host_platform"] = platform,
            ["SUBDIR"] = platform,
            ["ARCH"] = platform[(platform.IndexOf('-', StringComparison.Ordinal) + 1)..],
            ["SHLIB_EXT"] = SharedLibraryExtension(platform),
            ["CONDA_BUILD"] = "1",
            ["PATH"] = string.Join(':', Path.Combine(folders.BuildPrefix, "bin"), Path.Combine(folders.HostPrefix, "bin"), "/usr/local/bin", "/usr/bin", "/bin"),
            ["HOME"] = Path.Combine(folders.Root, "home"),
            ["TMPDIR"] = Path.Combine(folders.Root, "tmp"),
            ["LANG"] = "C.UTF-8",
            ["SOURCE_DATE_EPOCH"] = SourceDateEpoch.ToString(CultureInfo.InvariantCulture),
        };
        if (pythonVersion is not null)
        {
            var shortVersion = string.Join('.', pythonVersion.Split('.').Take(2));
            variables["PYTHON"] = Path.Combine(folders.HostPrefix, "bin", "python");
            variables["PY_VER"] = shortVersion;
            variables["STDLIB_DIR"] = Path.Combine(folders.HostPrefix, "lib", $"python{shortVersion}");
            variables["SP_DIR"] = Path.Combine(folders.HostPrefix, SitePackages(pythonVersion));
        }

        foreach (var (key, value) in package.Output.Build.Script?.Environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        return variables;
    }

    /// <summary>Runs the script; its output (and bash's trace) go to <paramref name="log"/>. A failure is a <see cref="BuildException"/>.</summary>
    public static void Run(RenderedPackage package, BuildFolders folders, string recipeDirectory, IReadOnlyDictionary<string, string> variables, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(log);
        var script = package.Output.Build.Script;
        string? body;
        if (script?.File is { } file)
        {
            var path = Path.GetFullPath(Path.Combine(recipeDirectory, file));
            body = File.Exists(path) ? $". {Quote(path)}" : throw new BuildException($"{package.Output.Name}: the build script {file} is not in {recipeDirectory}");
        }
        else if (script?.Lines is { } lines)
        {
            body = string.Join('\n', lines);
        }
        else
        {
            var fallback = Path.Combine(recipeDirectory, "build.sh");
            body = File.Exists(fallback) ? $". {Quote(fallback)}" : null;
        }

        if (body is null)
        {
            return; // a package of run requirements and run_exports only: nothing to run
        }

        Directory.CreateDirectory(variables["HOME"]);
        Directory.CreateDirectory(variables["TMPDIR"]);
        var (exitCode, lastLines) = BashScript.Run(Path.Combine(folders.Root, "build_script.sh"), folders.Source, ["PREFIX", "BUILD_PREFIX"], "cd \"$SRC_DIR\"\n" + body, variables, log, keepLines: 20);
        if (exitCode != 0)
        {
            throw new BuildException($"the build script of {package} failed (exit code {exitCode}); the work folder is kept in {folders.Root}; the script's last lines:\n{lastLines}");
        }
    }

    /// <summary>The shared-library extension of a platform's files (<c>SHLIB_EXT</c>).</summary>
    public static string SharedLibraryExtension(string platform) => Platform.OperatingSystemOf(platform) switch { "osx" => ".dylib", "win" => ".dll", _ => ".so" };

    /// <summary>Where a python of <paramref name="pythonVersion"/> keeps its packages, relative to its prefix (<c>lib/python3.11/site-packages</c>).</summary>
    public static string SitePackages(string pythonVersion) => $"lib/python{string.Join('.', pythonVersion.Split('.').Take(2))}/site-packages";

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
