using Krait.Conda.Records;
using Krait.Install.Transactions;

namespace Krait.Install;

/// <summary>
/// Creates a new environment from solved records, all or nothing: one <see cref="PrefixTransaction"/> into an empty
/// prefix (link scripts see the final path), and on failure the prefix is removed again. A krait killed half-way
/// leaves a journal that the next krait command on that path rolls back.
/// </summary>
public static class EnvironmentCreator
{
    public static TransactionResult Create(IReadOnlyList<PackageRecord> records, TransactionOptions options)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        var prefix = options.Prefix.Path;
        if (File.Exists(prefix))
        {
            throw new InstallException($"{prefix} is a file, not a folder for an environment");
        }

        // Whether this process made the folder is decided by mkdir itself, never by looking first: two creates of one
        // path must not both believe they made it, or the loser would delete what the winner just created.
        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        var made = NativeFiles.TryCreateDirectory(prefix);
        using var prefixLock = options.Prefix.Lock();
        if (!IsEmpty(prefix))
        {
            throw new InstallException($"{prefix} already exists and is not empty (another krait may just have created it); remove it first, or choose another name");
        }

        try
        {
            return PrefixTransaction.Execute(TransactionPlan.Compute([], records), prefixLock, options);
        }
        catch
        {
            // Rolled back and still holding the lock: what is left is empty. Remove what this process made, no more.
            if (IsEmpty(prefix))
            {
                if (made)
                {
                    Directory.Delete(prefix, recursive: true);
                }
                else if (Directory.Exists(Path.Combine(prefix, "conda-meta")))
                {
                    Directory.Delete(Path.Combine(prefix, "conda-meta"), recursive: true);
                }
            }

            throw;
        }
    }

    /// <summary>Nothing in the folder but, at most, a conda-meta holding only Krait's lock (what a rolled-back creation leaves).</summary>
    public static bool IsEmpty(string prefix)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(prefix))
        {
            if (Path.GetFileName(entry) != "conda-meta" || Directory.EnumerateFileSystemEntries(entry).Any(e => Path.GetFileName(e) != ".krait.lock"))
            {
                return false;
            }
        }

        return true;
    }
}
