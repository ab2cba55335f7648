using System.Security.Cryptography;
using Krait.Conda;
using Krait.Packages;

namespace Krait.Install;

/// <summary>One file as linked into a prefix, for <c>conda-meta/*.json</c> (<c>paths_data</c>).</summary>
public sealed record LinkedPath(string Path, string PathType, string? Sha256, string? Sha256InPrefix, long? SizeInBytes, string? FileMode, string? PrefixPlaceholder);

/// <summary>
/// Links an extracted package into an environment: hard links where possible, copies otherwise (and always for
/// files whose prefix placeholder is rewritten), symlinks as symlinks. The package's own metadata is untrusted:
/// every path must stay inside the environment.
/// </summary>
public static class PackageLinker
{
    /// <param name="extracted">The package folder in the cache.</param>
    /// <param name="root">Where to write (the environment itself, or the folder it is being built in).</param>
    /// <param name="prefix">The environment's final path, written into files in place of the placeholder.</param>
    /// <param name="python">The environment's python, needed for <c>noarch: python</c> packages.</param>
    public static IReadOnlyList<LinkedPath> Link(PackageRecord record, string extracted, string root, string prefix, PythonLayout? python = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var noarchPython = record.NoArch == NoArchType.Python;
        if (noarchPython && python is null)
        {
            throw new InstallException($"{record} is a noarch: python package, but the environment has no python to install it into");
        }

        foreach (var script in new[] { "pre-link", "post-link", "pre-unlink" })
        {
            if (File.Exists(Path.Combine(extracted, "bin", $".{record.Name}-{script}.sh")) || File.Exists(Path.Combine(extracted, "Scripts", $".{record.Name}-{script}.bat")))
            {
                throw new InstallException($"{record} has a {script} script; this Krait cannot run link scripts yet");
            }
        }

        var entries = ReadEntries(extracted);
        var linked = new List<LinkedPath>(entries.Count);
        foreach (var packageEntry in entries)
        {
            var source = Path.Combine(extracted, SafeRelative(record, packageEntry.Path));
            var entry = noarchPython ? WithPath(packageEntry, python!.Map(packageEntry.Path)) : packageEntry;
            var relative = SafeRelative(record, entry.Path);
            var target = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target) || new FileInfo(target).LinkTarget is not null)
            {
                // Another package of the same environment shipped this path: the later one wins, as in conda.
                File.Delete(target);
            }

            switch (entry.PathType)
            {
                case "directory":
                    Directory.CreateDirectory(target);
                    linked.Add(new LinkedPath(entry.Path, "directory", null, null, null, null, null));
                    continue;
                case "softlink" when new FileInfo(source).LinkTarget is { } linkTarget:
                    var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(target)!, linkTarget));
                    if (Path.IsPathRooted(linkTarget) || !resolved.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    {
                        throw new InstallException($"{record}: the link {entry.Path} -> {linkTarget} would leave the environment");
                    }

                    File.CreateSymbolicLink(target, linkTarget);
                    linked.Add(new LinkedPath(entry.Path, "softlink", entry.Sha256, null, entry.SizeInBytes, null, null));
                    continue;
            }

            if (!File.Exists(source))
            {
                throw new InstallException($"{record}: {entry.Path} is listed in info/paths.json but missing from the package");
            }

            if (entry.PrefixPlaceholder is { Length: > 0 } placeholder)
            {
                var content = File.ReadAllBytes(source);
                var replaced = entry.FileMode == "binary"
                    ? PrefixReplacer.ReplaceBinary(content, placeholder, prefix, $"{record}: {entry.Path}")
                    : PrefixReplacer.ReplaceText(content, placeholder, prefix);
                File.WriteAllBytes(target, replaced);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, File.GetUnixFileMode(source));
                }

                linked.Add(new LinkedPath(entry.Path, "hardlink", entry.Sha256, Convert.ToHexStringLower(SHA256.HashData(replaced)), replaced.Length, entry.FileMode ?? "text", placeholder));
                continue;
            }

            if (!NativeFiles.TryHardLink(source, target))
            {
                File.Copy(source, target, overwrite: true);
            }

            linked.Add(new LinkedPath(entry.Path, "hardlink", entry.Sha256, null, entry.SizeInBytes, null, null));
        }

        if (noarchPython)
        {
            // Byte-compiling with the environment's python is not done yet: python writes the .pyc files on first import.
            foreach (var point in EntryPoints.Read(extracted))
            {
                var script = EntryPoints.Write(root, prefix, python!, point);
                linked.Add(new LinkedPath(script, "hardlink", null, null, null, null, null));
            }
        }

        return linked;
    }

    private static PathEntry WithPath(PathEntry entry, string path) => new()
    {
        Path = path,
        PathType = entry.PathType,
        Sha256 = entry.Sha256,
        SizeInBytes = entry.SizeInBytes,
        FileMode = entry.FileMode,
        PrefixPlaceholder = entry.PrefixPlaceholder,
        NoLink = entry.NoLink,
    };

    /// <summary>info/paths.json, or for old packages info/files with info/has_prefix.</summary>
    private static IReadOnlyList<PathEntry> ReadEntries(string extracted)
    {
        if (PathsJson.Read(extracted) is { } paths)
        {
            return paths.Paths;
        }

        var filesPath = Path.Combine(extracted, "info", "files");
        if (!File.Exists(filesPath))
        {
            return [];
        }

        var placeholders = new Dictionary<string, (string Placeholder, string Mode)>(StringComparer.Ordinal);
        var hasPrefix = Path.Combine(extracted, "info", "has_prefix");
        if (File.Exists(hasPrefix))
        {
            foreach (var line in File.ReadLines(hasPrefix).Where(l => l.Trim().Length > 0))
            {
                // "placeholder mode path" (quoted when it has spaces), or just "path" for the default placeholder in text mode.
                var parts = line.Trim().Split(' ', 3);
                placeholders[parts.Length == 3 ? parts[2].Trim('"') : line.Trim()] = parts.Length == 3 ? (parts[0].Trim('"'), parts[1]) : (PrefixReplacer.DefaultPlaceholder, "text");
            }
        }

        return [.. File.ReadLines(filesPath).Where(l => l.Trim().Length > 0).Select(l =>
        {
            var path = l.Trim();
            var found = placeholders.TryGetValue(path, out var p);
            var isLink = new FileInfo(Path.Combine(extracted, path)).LinkTarget is not null;
            return new PathEntry
            {
                Path = path,
                PathType = isLink ? "softlink" : "hardlink",
                PrefixPlaceholder = found ? p.Placeholder : null,
                FileMode = found ? p.Mode : null,
            };
        })];
    }

    private static string SafeRelative(PackageRecord record, string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path.StartsWith('/') || (path.Length > 1 && path[1] == ':') || segments.Length == 0 || segments.Any(s => s is ".." or "."))
        {
            throw new InstallException($"{record}: its metadata lists the path '{path}', which would leave the environment");
        }

        return Path.Combine(segments);
    }
}
