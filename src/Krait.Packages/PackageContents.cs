namespace Krait.Packages;

/// <summary>
/// The files of an extracted package: <c>info/paths.json</c>, or for packages older than it (conda-build before 3)
/// <c>info/files</c> (or, when even that is missing, everything outside <c>info/</c>) with <c>info/has_prefix</c> (files with a prefix placeholder) and <c>info/no_link</c> (files to
/// copy, never hard-link).
/// </summary>
public static class PackageContents
{
    public const string DefaultPlaceholder = "/opt/anaconda1anaconda2anaconda3";

    public static IReadOnlyList<PathEntry> ReadEntries(string extracted)
    {
        if (PathsJson.Read(extracted) is { } paths)
        {
            return paths.Paths;
        }

        var filesPath = Path.Combine(extracted, "info", "files");
        var listed = File.Exists(filesPath) ? ReadLines(filesPath) : Payload(extracted);
        var placeholders = ReadHasPrefix(Path.Combine(extracted, "info", "has_prefix"));
        var noLink = ReadLines(Path.Combine(extracted, "info", "no_link")).ToHashSet(StringComparer.Ordinal);
        var entries = new List<PathEntry>();
        foreach (var path in listed)
        {
            var found = placeholders.TryGetValue(path, out var placeholder);
            var isLink = new FileInfo(Path.Combine(extracted, path)).LinkTarget is not null;
            entries.Add(new PathEntry
            {
                Path = path,
                PathType = isLink ? "softlink" : "hardlink",
                PrefixPlaceholder = found ? placeholder.Placeholder : null,
                FileMode = found ? placeholder.Mode : null,
                NoLink = noLink.Contains(path),
            });
        }

        return entries;
    }

    /// <summary>
    /// <c>info/has_prefix</c>: each line is <c>placeholder mode path</c> (any part double-quoted when it has spaces),
    /// or just <c>path</c> for the default placeholder in text mode.
    /// </summary>
    public static Dictionary<string, (string Placeholder, string Mode)> ReadHasPrefix(string path)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in ReadLines(path))
        {
            var parts = SplitQuoted(line);
            switch (parts.Count)
            {
                case 1:
                    result[parts[0]] = (DefaultPlaceholder, "text");
                    break;
                case 3 when parts[1] is "text" or "binary":
                    result[parts[2]] = (parts[0], parts[1]);
                    break;
                default:
                    throw new InvalidDataException($"{path}: cannot read the line '{line}' (expected 'placeholder text|binary path' or a path)");
            }
        }

        return result;
    }

    /// <summary>A package that lists none of its files (neither paths.json nor files) installs what it holds outside info/.</summary>
    private static List<string> Payload(string extracted)
    {
        var pending = new Stack<string>([extracted]);
        var found = new List<string>();
        while (pending.Count > 0)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(pending.Pop()))
            {
                var relative = Path.GetRelativePath(extracted, entry).Replace('\\', '/');
                if (relative == "info")
                {
                    continue;
                }

                if (Directory.Exists(entry) && new FileInfo(entry).LinkTarget is null)
                {
                    pending.Push(entry);
                }
                else
                {
                    found.Add(relative);
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static IEnumerable<string> ReadLines(string path) =>
        File.Exists(path) ? File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0) : [];

    private static List<string> SplitQuoted(string line)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            parts.Add(current.ToString());
        }

        return parts;
    }
}
