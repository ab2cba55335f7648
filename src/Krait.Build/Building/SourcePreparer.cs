using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Krait.Build.Recipes;

namespace Krait.Build.Building;

/// <summary>
/// Puts a recipe's sources into the work folder: a local <c>path</c> copied (relative to the recipe); a <c>url</c>
/// (a local file, <c>file://</c>, or downloaded by the caller's <c>download</c>) checked against its sha256 before it
/// is unpacked (<c>.tar.gz</c>, <c>.tgz</c>, <c>.tar.bz2</c>, <c>.tar</c>, <c>.zip</c>; anything else is copied); a <c>git</c>
/// repository cloned by git and checked out at its <c>rev</c>/<c>tag</c>/<c>branch</c>, submodules included; then the
/// patches applied with <c>patch -p1</c>. An archive's members are checked like any hostile archive's: no member
/// leaves the work folder.
/// </summary>
public static class SourcePreparer
{
    /// <param name="download">Fetches a remote <c>url</c> source to a local file (checked here again); null where there is no network.</param>
    public static void Prepare(IReadOnlyList<RecipeSource> sources, string recipeDirectory, string work, Func<RecipeSource, string>? download = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        foreach (var source in sources)
        {
            var target = source.TargetDirectory is null ? work : Inside(work, source.TargetDirectory, "target_directory");
            Directory.CreateDirectory(target);
            if (source.Path is { } path)
            {
                var from = Path.GetFullPath(Path.Combine(recipeDirectory, path));
                if (Directory.Exists(from))
                {
                    CopyDirectory(from, target);
                }
                else if (File.Exists(from))
                {
                    File.Copy(from, Path.Combine(target, source.FileName ?? Path.GetFileName(from)), overwrite: true);
                }
                else
                {
                    throw new BuildException($"source path {path} does not exist (looked at {from})");
                }
            }
            else if (source.Url is { } url)
            {
                var file = url.StartsWith("file://", StringComparison.Ordinal) ? new Uri(url).LocalPath
                    : url.Contains("://", StringComparison.Ordinal) ? (download ?? throw new BuildException($"{url}: only local sources can be fetched here"))(source)
                    : Path.GetFullPath(Path.Combine(recipeDirectory, url));
                Verify(file, source, url);
                Unpack(file, target, source.FileName ?? Path.GetFileName(new Uri(url, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(url).LocalPath : url));
            }
            else
            {
                Clone(source, recipeDirectory, target);
            }

            foreach (var patch in source.Patches)
            {
                Patch(Path.GetFullPath(Path.Combine(recipeDirectory, patch)), target);
            }
        }
    }

    private static void Verify(string file, RecipeSource source, string url)
    {
        if (!File.Exists(file))
        {
            throw new BuildException($"source {url}: {file} does not exist");
        }

        using var stream = File.OpenRead(file);
        var (expected, actual, kind) = source.Sha256 is { } sha256
            ? (sha256, Convert.ToHexStringLower(SHA256.HashData(stream)), "sha256")
#pragma warning disable CA5351 // an md5 the recipe gives is checked as given; recipes that want more give sha256
            : (source.Md5!, Convert.ToHexStringLower(MD5.HashData(stream)), "md5");
#pragma warning restore CA5351
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new BuildException($"source {url}: its {kind} is {actual}, the recipe says {expected}; the file is not what the recipe means, so nothing is built");
        }
    }

    private static void Unpack(string file, string target, string name)
    {
        if (name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var zip = ZipFile.OpenRead(file);
            foreach (var entry in zip.Entries)
            {
                var destination = Inside(target, entry.FullName, "a member of " + name);
                if (entry.FullName.EndsWith('/'))
                {
                    Directory.CreateDirectory(destination);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                entry.ExtractToFile(destination, overwrite: true);
            }

            StripSingleFolder(target);
            return;
        }

        var gzip = name.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);
        var bzip2 = name.EndsWith(".tar.bz2", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tbz2", StringComparison.OrdinalIgnoreCase);
        if (gzip || bzip2 || name.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
        {
            using var input = File.OpenRead(file);
            using var stream = gzip ? new GZipStream(input, CompressionMode.Decompress) : bzip2 ? Krait.Packages.Bzip2.Bzip2Decoder.Open(input) : (Stream)input;
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                var destination = Inside(target, entry.Name, "a member of " + name);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(destination);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        entry.ExtractToFile(destination, overwrite: true);
                        break;
                    case TarEntryType.SymbolicLink:
                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        Inside(target, Path.Combine(Path.GetDirectoryName(entry.Name) ?? string.Empty, entry.LinkName), "the link target of " + entry.Name);
                        File.CreateSymbolicLink(destination, entry.LinkName);
                        break;
                    case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                        break;
                    default:
                        throw new BuildException($"{name}: {entry.Name} is a {entry.EntryType}, which a source archive has no need of");
                }
            }

            StripSingleFolder(target);
            return;
        }

        File.Copy(file, Path.Combine(target, name), overwrite: true);
    }

    /// <summary>An archive of one top folder (<c>zlib-1.3/…</c>) becomes its contents, as conda-build unpacks it.</summary>
    private static void StripSingleFolder(string target)
    {
        var entries = Directory.GetFileSystemEntries(target);
        if (entries.Length != 1 || !Directory.Exists(entries[0]) || new DirectoryInfo(entries[0]).LinkTarget is not null)
        {
            return;
        }

        var single = entries[0];
        var temporary = single + ".krait-unpacked";
        Directory.Move(single, temporary);
        MoveContents(temporary, target);
    }

    private static void Clone(RecipeSource source, string recipeDirectory, string target)
    {
        var url = source.Git!;
        var local = !url.Contains("://", StringComparison.Ordinal) && !url.Contains('@', StringComparison.Ordinal) ? Path.GetFullPath(Path.Combine(recipeDirectory, url)) : url;
        var clone = Path.Combine(target, ".krait-clone");
        Git(target, "clone", "--quiet", "--recurse-submodules", local, clone);
        if (source.GitRevision is { } revision)
        {
            Git(clone, "checkout", "--quiet", revision);
            Git(clone, "submodule", "update", "--quiet", "--init", "--recursive");
        }

        MoveContents(clone, target);
    }

    /// <summary>Moves everything in <paramref name="from"/> into <paramref name="to"/>, links as links, then removes <paramref name="from"/>.</summary>
    private static void MoveContents(string from, string to)
    {
        foreach (var entry in Directory.GetFileSystemEntries(from))
        {
            var destination = Path.Combine(to, Path.GetFileName(entry));
            if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null)
            {
                Directory.Move(entry, destination);
            }
            else
            {
                File.Move(entry, destination);
            }
        }

        Directory.Delete(from);
    }

    private static void Git(string folder, params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["GIT_TERMINAL_PROMPT"] = "0" };
        if (RunTool("git", folder, arguments, environment) is { } failure)
        {
            throw new BuildException($"git {string.Join(' ', arguments)} failed: {failure}");
        }
    }

    private static void Patch(string patch, string target)
    {
        if (!File.Exists(patch))
        {
            throw new BuildException($"patch {patch} does not exist");
        }

        if (RunTool("patch", target, ["-p1", "--forward", "--batch", "-i", patch], null) is { } failure)
        {
            throw new BuildException($"patch {Path.GetFileName(patch)} does not apply: {failure}");
        }
    }

    /// <summary>Runs a tool the sources need (git, patch) in <paramref name="folder"/>; null when it succeeded, else what it printed.</summary>
    private static string? RunTool(string program, string folder, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BuildException($"{program} could not be started");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BuildException($"this source needs {program}, which is not on PATH ({e.Message})");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : (output.Result + error).Trim();
        }
    }

    private static string Inside(string root, string relative, string what)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        var prefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        return full.StartsWith(prefix, StringComparison.Ordinal) || full == prefix[..^1]
            ? full
            : throw new BuildException($"{what} ({relative}) leads outside the work folder; the source is refused");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            var info = new FileInfo(file);
            if (info.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(destination, link);
            }
            else
            {
                File.Copy(file, destination, overwrite: true);
            }
        }
    }
}
