using Krait.Files;

namespace Krait.Install.Transactions;

/// <summary>
/// Brings a prefix whose transaction was interrupted (a crash, a kill, a failing link script) back to a whole state:
/// the old one when the journal is not committed, the new one when it is. Each step can be repeated. Every path is
/// resolved through a <see cref="PrefixTree"/>: what would lead outside the environment is never deleted or moved.
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
        var tree = new PrefixTree(prefix, $"the environment {prefix}");
        var backup = TransactionJournal.BackupFolder(prefix);
        var moved = journal.Moved.ToHashSet(StringComparer.Ordinal);
        for (var i = journal.Created.Count - 1; i >= 0; i--)
        {
            if (!tree.TryResolve(journal.Created[i], out var path, out _))
            {
                continue;
            }

            // A path that existed before and is not in the backup was never moved: it is still the original.
            var real = tree.ResolveRelative(journal.Created[i]);
            if (moved.Contains(real) && !PrefixPaths.Exists(PrefixPaths.Under(backup, real)))
            {
                continue;
            }

            FileKinds.Delete(path);
            tree.Forget(real);
        }

        for (var i = journal.CreatedDirectories.Count - 1; i >= 0; i--)
        {
            if (tree.TryResolve(journal.CreatedDirectories[i], out var directory, out _) && FileKinds.Of(directory) == FileKind.Directory)
            {
                Directory.Delete(directory, recursive: true);
                tree.Forget(tree.ResolveRelative(journal.CreatedDirectories[i]));
            }
        }

        // Moved paths were recorded as they are on disk (no link among their folders): they go back exactly there.
        foreach (var relative in journal.Moved)
        {
            var saved = PrefixPaths.Under(backup, relative);
            if (!PrefixPaths.Exists(saved))
            {
                continue;
            }

            var original = PrefixPaths.Under(prefix, relative);
            EnsureRealFolders(prefix, relative);
            FileKinds.Delete(original);
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
            if (relative != "conda-meta" && FileKinds.Of(directory) == FileKind.Directory && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
    }

    /// <summary>Renames a path (a link is moved as the link).</summary>
    internal static void MovePath(string from, string to)
    {
        if (FileKinds.Of(from) == FileKind.Directory)
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }

    /// <summary>Makes the folders of a moved path again where they are missing, replacing any link in their way (a link cannot be where a real folder was).</summary>
    private static void EnsureRealFolders(string prefix, string relative)
    {
        var current = prefix;
        var parts = relative.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            var kind = FileKinds.Of(current);
            if (kind == FileKind.Directory)
            {
                continue;
            }

            if (kind != FileKind.Missing)
            {
                File.Delete(current);
            }

            Directory.CreateDirectory(current);
        }
    }
}
