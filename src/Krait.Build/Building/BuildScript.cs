using System.Diagnostics;
using System.Globalization;
using System.Text;
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
        var os = Platform.OperatingSystemOf(platform);
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
            ["SHLIB_EXT"] = os switch { "osx" => ".dylib", "win" => ".dll", _ => ".so" },
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
            variables["SP_DIR"] = Path.Combine(folders.HostPrefix, "lib", $"python{shortVersion}", "site-packages");
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
        var text = new StringBuilder()
            .Append("set -eo pipefail\n")
            .Append("for __krait_script in \"$PREFIX\"/etc/conda/activate.d/*.sh \"$BUILD_PREFIX\"/etc/conda/activate.d/*.sh; do\n")
            .Append("    if [ -f \"$__krait_script\" ]; then . \"$__krait_script\"; fi\n")
            .Append("done\n")
            .Append("unset __krait_script\n")
            .Append("cd \"$SRC_DIR\"\n")
            .Append("set -x\n")
            .Append(body).Append('\n')
            .ToString();
        var scriptFile = Path.Combine(folders.Root, "build_script.sh");
        File.WriteAllText(scriptFile, text);

        var start = new ProcessStartInfo("/bin/bash") { WorkingDirectory = folders.Source, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(scriptFile);
        start.Environment.Clear();
        foreach (var (key, value) in variables)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new BuildException("bash could not be started");
        var gate = new Lock();
        var tail = new Queue<string>();
        void Forward(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (gate)
            {
                log.WriteLine(e.Data);
                tail.Enqueue(e.Data);
                if (tail.Count > 20)
                {
                    tail.Dequeue();
                }
            }
        }

        process.OutputDataReceived += Forward;
        process.ErrorDataReceived += Forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new BuildException($"the build script of {package} failed (exit code {process.ExitCode}); the work folder is kept in {folders.Root}; the script's last lines:\n{string.Join('\n', tail)}");
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
