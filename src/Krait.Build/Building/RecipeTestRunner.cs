using System.Text.Json;
using Krait.Build.Recipes;
using Krait.Build.Rendering;
using Krait.Conda.Platforms;

namespace Krait.Build.Building;

/// <summary>
/// A recipe's tests against the package just written: <c>package_contents</c> against its <c>info/paths.json</c>;
/// <c>script</c> and <c>python</c> tests in a fresh environment made from the output channel (the package and its
/// run dependencies, plus the test's own requirements), the script run by bash with <c>PREFIX</c> set and the
/// environment's folders first on PATH. The first failure fails the build.
/// </summary>
public static class RecipeTestRunner
{
    public static void Run(RenderedPackage package, AssembledPackage assembled, BuildFolders folders, BuildRequest request)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(assembled);
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(request);
        var index = 0;
        foreach (var test in package.Output.Tests)
        {
            index++;
            switch (test)
            {
                case PackageContentsTest contents:
                    CheckContents(package, folders, contents, index);
                    break;
                case ScriptTest script:
                    RunScript(package, folders, request, script.Requirements, script.Lines, index, script.SourceFiles, script.RecipeFiles);
                    break;
                case PythonTest python:
                    RunScript(package, folders, request, ["python"], [.. python.Imports.Select(i => $"python -c \"import {i}\"")], index, [], []);
                    break;
            }

            request.Log.WriteLine($"Test {index} of {package.Output.Name} passed");
        }
    }

    private static void CheckContents(RenderedPackage package, BuildFolders folders, PackageContentsTest test, int index)
    {
        var paths = ReadPaths(folders);
        var os = Platform.OperatingSystemOf(package.Subdir == Platform.NoArch ? Platform.Native : package.Subdir);
        var expected = new List<(string What, Func<string, bool> Matches)>();
        foreach (var glob in test.Files)
        {
            expected.Add((glob, p => Glob(glob, p)));
        }

        foreach (var name in test.Bin)
        {
            expected.Add(($"bin/{name}", p => p == (os == "win" ? $"Library/bin/{name}.exe" : $"bin/{name}")));
        }

        foreach (var name in test.Lib)
        {
            expected.Add(($"the library {name}", p => os switch
            {
                "win" => p == $"Library/bin/{name}.dll" || p == $"Library/lib/{name}.lib",
                "osx" => p == $"lib/lib{name}.dylib",
                _ => p == $"lib/lib{name}.so",
            }));
        }

        foreach (var header in test.Include)
        {
            expected.Add(($"include/{header}", p => p == (os == "win" ? $"Library/include/{header}" : $"include/{header}")));
        }

        foreach (var module in test.SitePackages)
        {
            var path = module.Replace('.', '/');
            expected.Add(($"site-packages/{path}", p => p.Contains("site-packages/" + path + "/", StringComparison.Ordinal) || p.EndsWith("site-packages/" + path + ".py", StringComparison.Ordinal)));
        }

        var missing = expected.Where(e => !paths.Exists(p => e.Matches(p))).Select(e => e.What).ToList();
        if (missing.Count > 0)
        {
            throw new BuildException($"test {index} of {package} (package_contents) failed: the package has no {string.Join(", ", missing)}");
        }
    }

    private static void RunScript(RenderedPackage package, BuildFolders folders, BuildRequest request, IReadOnlyList<string> extra, IReadOnlyList<string> lines, int index, IReadOnlyList<string> sourceFiles, IReadOnlyList<string> recipeFiles)
    {
        var prefix = Path.Combine(folders.Root, $"test_env_{index}");
        var work = Path.Combine(folders.Root, $"test_{index}");
        foreach (var folder in new[] { prefix, work })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        Directory.CreateDirectory(work);
        var platform = package.Subdir == Platform.NoArch ? Platform.Native : package.Subdir;
        var output = Path.GetFullPath(request.OutputDirectory);
        var specs = new List<string> { $"{package.Output.Name} =={package.Output.Version} {package.BuildString}" };
        specs.AddRange(extra.Where(e => !specs.Contains(e, StringComparer.Ordinal)));
        request.Environments.Create(prefix, specs, platform, "test", [output]);
        foreach (var file in sourceFiles.Select(f => Path.Combine(folders.Source, f)).Concat(recipeFiles.Select(f => Path.Combine(request.RecipeDirectory, f))))
        {
            if (File.Exists(file))
            {
                File.Copy(file, Path.Combine(work, Path.GetFileName(file)), overwrite: true);
            }
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PREFIX"] = prefix,
            ["CONDA_PREFIX"] = prefix,
            ["PATH"] = string.Join(':', Path.Combine(prefix, "bin"), "/usr/local/bin", "/usr/bin", "/bin"),
            ["HOME"] = work,
            ["LANG"] = "C.UTF-8",
            ["PKG_NAME"] = package.Output.Name,
            ["PKG_VERSION"] = package.Output.Version,
            ["SHLIB_EXT"] = BuildScript.SharedLibraryExtension(platform),
        };
        var (exitCode, scriptOutput) = BashScript.Run(Path.Combine(work, "run_test.sh"), work, ["PREFIX"], string.Join('\n', lines), variables, request.Log, keepLines: int.MaxValue);
        if (exitCode != 0)
        {
            throw new BuildException($"test {index} of {package} failed (exit code {exitCode}) in {prefix}:\n{scriptOutput.Trim()}");
        }
    }

    /// <summary>The package's paths, from the <c>info/paths.json</c> just archived (still in the staging folder).</summary>
    private static List<string> ReadPaths(BuildFolders folders)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folders.Staging, "info", "paths.json")));
        return [.. document.RootElement.GetProperty("paths").EnumerateArray().Select(p => p.GetProperty("_path").GetString()!)];
    }

    /// <summary>A path glob: <c>*</c> within a folder, <c>**</c> across folders.</summary>
    private static bool Glob(string glob, string path)
    {
        var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(glob).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(path, pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
    }
}
