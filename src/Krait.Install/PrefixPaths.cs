namespace Krait.Install;

/// <summary>
/// Paths inside an environment as package metadata and conda-meta name them. Both are untrusted input: a path must
/// be relative and may not climb out with <c>..</c>, so that nothing Krait writes or deletes leaves the prefix.
/// </summary>
public static class PrefixPaths
{
    /// <summary>The path with <c>/</c> separators, or an <see cref="InstallException"/> naming <paramref name="source"/>.</summary>
    public static string Check(string path, string source)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalised = path.Replace('\\', '/');
        var segments = normalised.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (normalised.StartsWith('/') || (normalised.Length > 1 && normalised[1] == ':') || segments.Length == 0
            || Array.Exists(segments, s => s is ".." or ".") || normalised.Contains('\0', StringComparison.Ordinal))
        {
            throw new InstallException($"{source}: the path '{path}' would leave the environment");
        }

        return string.Join('/', segments);
    }

    /// <summary>The full path of a checked relative path under <paramref name="prefix"/>.</summary>
    public static string Under(string prefix, string relative) => Path.Combine(prefix, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>True when something (a file, a folder or a symlink, even a dangling one) is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
