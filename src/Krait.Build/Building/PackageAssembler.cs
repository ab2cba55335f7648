using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Krait.Build.Recipes;
using Krait.Build.Rendering;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Packages;

namespace Krait.Build.Building;

/// <summary>A package the build wrote: where, and the file count and size for the report.</summary>
public sealed record AssembledPackage(string Path, string Subdir, int Files, long Size, string Sha256);

/// <summary>
/// Turns what the build script added to the host environment into a conda package: the new paths (without
/// <c>conda-meta</c>, <c>.pyo</c>, <c>.la</c>, <c>.DS_Store</c>, <c>.git*</c>, <c>share/info/dir</c>), moved to
/// <c>site-packages/</c> and <c>python-scripts/</c> for <c>noarch: python</c> (compiled files and the scripts of
/// entry points dropped, the installer makes them), each file checked for the host prefix (recorded in
/// <c>paths.json</c> as <c>prefix_placeholder</c> with <c>file_mode</c> text or binary), shebangs rewritten, links
/// kept inside the package; then <c>info/</c> and the archive, written by Krait's reproducible writer, which is
/// finally read back by the same checks as any downloaded archive.
/// </summary>
public static class PackageAssembler
{
    public static AssembledPackage Assemble(RenderedPackage package, BuildFolders folders, IReadOnlySet<string> before, string recipeDirectory, IReadOnlyList<string> depends, IReadOnlyList<string> constrains, string outputDirectory, string? pythonVersion)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentNullException.ThrowIfNull(before);
        var output = package.Output;
        if (Directory.Exists(folders.Staging))
        {
            Directory.Delete(folders.Staging, recursive: true);
        }

        Directory.CreateDirectory(folders.Staging);
        var paths = new List<PathRecord>();
        foreach (var relative in PrefixSnapshot.Take(folders.HostPrefix).Where(p => !before.Contains(p)).Order(StringComparer.Ordinal))
        {
            if (Excluded(relative) || PackagePath(relative, output, pythonVersion) is not { } target)
            {
                continue;
            }

            paths.Add(Stage(Path.Combine(folders.HostPrefix, relative), target, folders));
        }

        if (paths.Count == 0 && output.Build.Script is not null)
        {
            Console.Error.WriteLine($"warning: the build of {package} added no files to $PREFIX; the package holds only its metadata");
        }

        var info = Path.Combine(folders.Staging, "info");
        Directory.CreateDirectory(info);
        WriteIndex(Path.Combine(info, "index.json"), package, depends, constrains);
        WritePaths(Path.Combine(info, "paths.json"), paths);
        File.WriteAllText(Path.Combine(info, "files"), string.Concat(paths.Select(p => p.Path + "\n")));
        WriteAbout(Path.Combine(info, "about.json"), output.About);
        File.WriteAllText(Path.Combine(info, "hash_input.json"), package.HashInput + "\n");
        if (!package.Requirements.RunExports.IsEmpty)
        {
            WriteRunExports(Path.Combine(info, "run_exports.json"), package.Requirements.RunExports);
        }

        if (output.Build.NoArch == NoArchType.Python)
        {
            PackageInfoFiles.WriteLink(Path.Combine(info, "link.json"), output.Build.EntryPoints);
        }

        CopyRecipe(recipeDirectory, Path.Combine(info, "recipe"));
        if (output.Tests.Count > 0)
        {
            TestsFile.Write(Path.Combine(info, "tests", "tests.yaml"), output.Tests);
        }

        var subdirFolder = Path.Combine(outputDirectory, package.Subdir);
        Directory.CreateDirectory(subdirFolder);
        var archive = Path.Combine(subdirFolder, $"{output.Name}-{output.Version}-{package.BuildString}{PackageFileName.CondaExtension}");
        PackageWriter.Write(folders.Staging, archive);
        CheckLikeADownload(archive, folders);
        using var stream = File.OpenRead(archive);
        return new AssembledPackage(archive, package.Subdir, paths.Count, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    private sealed record PathRecord(string Path, bool IsLink, string? Sha256, long Size, PrefixKind Prefix, string? Placeholder);

    private static bool Excluded(string relative)
    {
        var name = relative[(relative.LastIndexOf('/') + 1)..];
        return relative.StartsWith("conda-meta/", StringComparison.Ordinal)
            || name.EndsWith(".pyo", StringComparison.Ordinal)
            || name.EndsWith(".la", StringComparison.Ordinal)
            || name == ".DS_Store"
            || relative == "share/info/dir"
            || relative.Split('/').Any(part => part is ".git" or ".gitignore");
    }

    /// <summary>Where a new file of the host environment goes in the package; null for what the installer makes itself.</summary>
    private static string? PackagePath(string relative, RecipeOutput output, string? pythonVersion)
    {
        if (output.Build.NoArch != NoArchType.Python)
        {
            return relative;
        }

        if (relative.Contains("/__pycache__/", StringComparison.Ordinal) || relative.EndsWith(".pyc", StringComparison.Ordinal))
        {
            return null;
        }

        var sitePackages = pythonVersion is null ? null : BuildScript.SitePackages(pythonVersion) + "/";
        if (sitePackages is not null && relative.StartsWith(sitePackages, StringComparison.Ordinal))
        {
            return "site-packages/" + relative[sitePackages.Length..];
        }

        if (relative.StartsWith("bin/", StringComparison.Ordinal))
        {
            var script = relative["bin/".Length..];
            return output.Build.EntryPoints.Any(e => e.Split('=')[0].Trim() == script) ? null : "python-scripts/" + script;
        }

        return relative;
    }

    private static PathRecord Stage(string source, string target, BuildFolders folders)
    {
        var destination = Path.Combine(folders.Staging, target);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var info = new FileInfo(source);
        if (info.LinkTarget is { } link)
        {
            var relativeLink = RelativeLink(link, source, folders.HostPrefix, target);
            File.CreateSymbolicLink(destination, relativeLink);
            var pointee = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, relativeLink));
            var sha256 = File.Exists(pointee) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(pointee))) : null;
            return new PathRecord(target, true, sha256, Encoding.UTF8.GetByteCount(relativeLink), PrefixKind.None, null);
        }

        var content = File.ReadAllBytes(source);
        var kind = PrefixDetection.Detect(content, folders.HostPrefix);
        if (kind == PrefixKind.Text)
        {
            content = PrefixDetection.RewriteShebang(content, folders.HostPrefix);
            kind = PrefixDetection.Detect(content, folders.HostPrefix);
        }

        File.WriteAllBytes(destination, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
        }

        return new PathRecord(target, false, Convert.ToHexStringLower(SHA256.HashData(content)), content.Length, kind, kind == PrefixKind.None ? null : folders.HostPrefix);
    }

    /// <summary>A link the build made: relative inside the environment stays; absolute into the environment becomes relative; anything leading out is refused.</summary>
    private static string RelativeLink(string link, string source, string prefix, string target)
    {
        var folder = Path.GetDirectoryName(source)!;
        var resolved = Path.GetFullPath(Path.IsPathRooted(link) ? link : Path.Combine(folder, link));
        var root = Path.TrimEndingDirectorySeparator(prefix) + Path.DirectorySeparatorChar;
        if (!resolved.StartsWith(root, StringComparison.Ordinal))
        {
            throw new BuildException($"the build made {target} a link to {link}, outside the environment; a package cannot ship it");
        }

        return Path.IsPathRooted(link) ? Path.GetRelativePath(folder, resolved) : link;
    }

    private static void WriteIndex(string path, RenderedPackage package, IReadOnlyList<string> depends, IReadOnlyList<string> constrains) => PackageInfoFiles.WriteJson(path, w =>
    {
        var output = package.Output;
        var noarch = output.Build.NoArch != NoArchType.None;
        var subdir = package.Subdir;
        var arch = noarch ? null : Platform.ArchitectureOf(subdir);
        w.WriteString("arch", arch);
        w.WriteString("build", package.BuildString);
        w.WriteNumber("build_number", output.Build.Number);
        Strings(w, "constrains", constrains);
        Strings(w, "depends", depends);
        if (output.About.License is { } license)
        {
            w.WriteString("license", license);
        }

        w.WriteString("name", output.Name);
        if (noarch)
        {
            w.WriteString("noarch", output.Build.NoArch == NoArchType.Python ? "python" : "generic");
        }

        w.WriteString("platform", noarch ? null : Platform.OperatingSystemOf(subdir));
        w.WriteString("subdir", subdir);
        w.WriteNumber("timestamp", BuildScript.SourceDateEpoch * 1000);
        w.WriteString("version", output.Version);
    });

    private static void WritePaths(string path, IReadOnlyList<PathRecord> paths) => PackageInfoFiles.WriteJson(path, w =>
    {
        w.WriteStartArray("paths");
        foreach (var entry in paths)
        {
            w.WriteStartObject();
            w.WriteString("_path", entry.Path);
            if (entry.Placeholder is { } placeholder)
            {
                w.WriteString("file_mode", entry.Prefix == PrefixKind.Binary ? "binary" : "text");
            }

            w.WriteString("path_type", entry.IsLink ? "softlink" : "hardlink");
            if (entry.Placeholder is not null)
            {
                w.WriteString("prefix_placeholder", entry.Placeholder);
            }

            if (entry.Sha256 is not null)
            {
                w.WriteString("sha256", entry.Sha256);
            }

            w.WriteNumber("size_in_bytes", entry.Size);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("paths_version", 1);
    });

    private static void WriteAbout(string path, AboutSection about) => PackageInfoFiles.WriteJson(path, w =>
    {
        void Optional(string name, string? value)
        {
            if (value is not null)
            {
                w.WriteString(name, value);
            }
        }

        Optional("description", about.Description);
        Optional("dev_url", about.Repository);
        Optional("doc_url", about.Documentation);
        Optional("home", about.Homepage);
        Optional("license", about.License);
        Optional("summary", about.Summary);
    });

    private static void WriteRunExports(string path, RunExports exports) => PackageInfoFiles.WriteJson(path, w =>
    {
        foreach (var (name, list) in new[] { ("noarch", exports.Noarch), ("strong", exports.Strong), ("strong_constrains", exports.StrongConstraints), ("weak", exports.Weak), ("weak_constrains", exports.WeakConstraints) })
        {
            if (list.Count > 0)
            {
                Strings(w, name, [.. list.Select(r => r.Spec ?? throw new BuildException($"run_exports: {r} cannot be resolved when the package is built"))]);
            }
        }
    });

    private static void CopyRecipe(string recipeDirectory, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(recipeDirectory, "*", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".sh", StringComparison.Ordinal) || name.EndsWith(".bat", StringComparison.Ordinal) || name.EndsWith(".patch", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(destination, name));
            }
        }
    }

    /// <summary>The archive is extracted once with the installer's checks (paths, links, sizes), so that nothing leaves the build that an install would refuse.</summary>
    private static void CheckLikeADownload(string archive, BuildFolders folders)
    {
        var check = Path.Combine(folders.Root, "check");
        if (Directory.Exists(check))
        {
            Directory.Delete(check, recursive: true);
        }

        try
        {
            PackageExtractor.Extract(archive, check);
        }
        catch (Exception e) when (e is HostileArchiveException or PackageLayoutException or InvalidDataException)
        {
            File.Delete(archive);
            throw new BuildException($"the package {Path.GetFileName(archive)} fails the checks every downloaded package gets ({e.Message}); it was removed");
        }
        finally
        {
            if (Directory.Exists(check))
            {
                Directory.Delete(check, recursive: true);
            }
        }
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        values.ToList().ForEach(w.WriteStringValue);
        w.WriteEndArray();
    }
}
