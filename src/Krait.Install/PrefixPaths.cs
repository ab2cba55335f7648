using Krait.Files;
using Krait.Install.Transactions;

namespace Krait.Install;

/// <summary>
/// Paths inside an environment as package metadata and conda-meta name them. Both are untrusted input: a path must
/// be relative and may not climb out with <c>..</c>, and a package's path may not be one Krait owns
/// (<see cref="IsReserved"/>), so that nothing Krait writes or deletes leaves the prefix or breaks its records.
/// Where a path really leads on disk is <see cref="PrefixTree"/>'s question.
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

    /// <summary><see cref="Check"/>, and the path may not be one of Krait's own (a package shipping <c>conda-meta/x.json</c> would forge a record).</summary>
    public static string CheckPayload(string path, string source)
    {
        var checkedPath = Check(path, source);
        if (IsReserved(checkedPath))
        {
            throw new InstallException($"{source}: the path '{path}' is inside {checkedPath.Split('/')[0]}/, which belongs to the package manager, not to packages");
        }

        return checkedPath;
    }

    /// <summary>
    /// True for <c>conda-meta</c> and <c>.krait-transaction</c> and what is under them (compared ignoring case and
    /// trailing dots and spaces, which case-insensitive and Windows file systems ignore too).
    /// </summary>
    public static bool IsReserved(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var slash = relative.IndexOf('/', StringComparison.Ordinal);
        var first = (slash < 0 ? relative : relative[..slash]).TrimEnd('.', ' ');
        return first.Equals("conda-meta", StringComparison.OrdinalIgnoreCase) || first.Equals(TransactionJournal.FolderName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The full path of a checked relative path under <paramref name="prefix"/> (lexically: <see cref="PrefixTree"/> resolves links).</summary>
    public static string Under(string prefix, string relative) => Path.Combine(prefix, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>True when something (a file, a folder or a symlink, even a dangling one) is at <paramref name="path"/>.</summary>
    public static bool Exists(string path) => FileKinds.Of(path) != FileKind.Missing;
}
