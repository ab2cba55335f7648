namespace Krait.Install;

/// <summary>
/// One environment's folder, named once: an absolute path without a trailing separator, so that two spellings of
/// one folder are one prefix (for locks, the registry, "is this the root environment?"). Changing it takes its
/// lock (<see cref="Lock"/>), and a transaction runs only on a prefix whose lock it is handed.
/// </summary>
public sealed class Prefix : IEquatable<Prefix>
{
    private static readonly StringComparison PathComparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private Prefix(string path) => Path = path;

    /// <summary>The normalised absolute path.</summary>
    public string Path { get; }

    /// <summary>Where conda, mamba, pixi and Krait keep the records of what is installed.</summary>
    public string CondaMeta => System.IO.Path.Combine(Path, "conda-meta");

    /// <summary>Whether the folder is an environment (it has a <c>conda-meta</c> folder).</summary>
    public bool IsEnvironment => Directory.Exists(CondaMeta);

    /// <summary>The prefix at <paramref name="path"/> (relative paths from the current directory).</summary>
    public static Prefix At(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        var trimmed = System.IO.Path.TrimEndingDirectorySeparator(full);
        return new Prefix(trimmed.Length == 0 ? full : trimmed);
    }

    /// <summary>The exclusive right to change this prefix (repairing an interrupted transaction first).</summary>
    public Transactions.PrefixLock Lock() => Transactions.PrefixLock.Acquire(this);

    public bool Equals(Prefix? other) => other is not null && string.Equals(Path, other.Path, PathComparison);

    public override bool Equals(object? obj) => Equals(obj as Prefix);

    public override int GetHashCode() => string.GetHashCode(Path, PathComparison);

    public override string ToString() => Path;
}
