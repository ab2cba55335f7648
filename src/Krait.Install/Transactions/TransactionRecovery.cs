namespace Krait.Install.Transactions;

/// <summary>
/// Brings a prefix whose transaction was interrupted (a crash, a kill, a failing link script) back to a whole state:
/// the old one when the journal is not committed, the new one when it is. Each step can be repeated.
/// </summary>
public static class TransactionRecovery
{
    /// <summary>Repairs <paramref name="prefix"/> if a transaction was interrupted; returns what was done, or null.</summary>
    public static string? RepairIfInterrupted(string prefix)
    {
        var journal = TransactionJournal.TryRead(prefix);
        if (journal is null)
        {
            // A clean-up killed after the journal went but before its folder did leaves only an empty backup.
            TransactionJournal.Delete(prefix);
            return null;
        }

        if (journal.Committed)
        {
            Finish(prefix, journal);
            return $"finished the interrupted transaction '{journal.Command}'";
        }

        RollBack(prefix, journal);
        return $"rolled back the interrupted transaction '{journal.Command}'";
    }

    /// <summary>Undoes an uncommitted transaction: what it created goes, what it moved comes back.</summary>
    public static void RollBack(string prefix, TransactionJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var backup = TransactionJournal.BackupFolder(prefix);
        var moved = journal.Moved.ToHashSet(StringComparer.Ordinal);
        for (var i = journal.Created.Count - 1; i >= 0; i--)
        {
            var relative = journal.Created[i];
            var path = PrefixPaths.Under(prefix, relative);
            // A path that existed before and is not in the backup was never moved: it is still the original.
            if (moved.Contains(relative) && !PrefixPaths.Exists(PrefixPaths.Under(backup, relative)))
            {
                continue;
            }

            DeletePath(path);
        }

        for (var i = journal.CreatedDirectories.Count - 1; i >= 0; i--)
        {
            var directory = PrefixPaths.Under(prefix, journal.CreatedDirectories[i]);
            if (Directory.Exists(directory) && new FileInfo(directory).LinkTarget is null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        foreach (var relative in journal.Moved)
        {
            var saved = PrefixPaths.Under(backup, relative);
            if (!PrefixPaths.Exists(saved))
            {
                continue;
            }

            var original = PrefixPaths.Under(prefix, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(original)!);
            DeletePath(original);
            MovePath(saved, original);
        }

        TransactionJournal.Delete(prefix);
    }

    /// <summary>Completes a committed transaction: the backup goes, and so do the folders its removals emptied.</summary>
    public static void Finish(string prefix, TransactionJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var backup = TransactionJournal.BackupFolder(prefix);
        if (Directory.Exists(backup))
        {
            Directory.Delete(backup, recursive: true);
        }

        RemoveEmptiedDirectories(prefix, journal.Moved);
        TransactionJournal.Delete(prefix);
    }

    /// <summary>Removes the folders left empty by removed files, deepest first, never the prefix itself or conda-meta.</summary>
    internal static void RemoveEmptiedDirectories(string prefix, IEnumerable<string> removed)
    {
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var relative in removed)
        {
            for (var slash = relative.LastIndexOf('/'); slash > 0; slash = relative.LastIndexOf('/', slash - 1))
            {
                candidates.Add(relative[..slash]);
            }
        }

        foreach (var relative in candidates.OrderByDescending(c => c.Length))
        {
            var directory = PrefixPaths.Under(prefix, relative);
            if (relative != "conda-meta" && Directory.Exists(directory) && new FileInfo(directory).LinkTarget is null && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
    }

    internal static void DeletePath(string path)
    {
        if (new FileInfo(path).LinkTarget is not null || File.Exists(path))
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    internal static void MovePath(string from, string to)
    {
        if (Directory.Exists(from) && new FileInfo(from).LinkTarget is null)
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }
}
