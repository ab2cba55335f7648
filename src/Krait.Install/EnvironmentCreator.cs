using Krait.Conda;
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
        var prefix = Path.GetFullPath(options.Prefix);
        if (File.Exists(prefix))
        {
            throw new InstallException($"{prefix} is a file, not a folder for an environment");
        }

        var existed = Directory.Exists(prefix);
        Directory.CreateDirectory(prefix);
        try
        {
            using var prefixLock = PrefixLock.Acquire(prefix);
            if (!IsEmpty(prefix))
            {
                throw new InstallException($"{prefix} already exists and is not empty; remove it first, or choose another name");
            }

            return PrefixTransaction.Execute(TransactionPlan.Compute([], records), options with { Prefix = prefix });
        }
        catch
        {
            if (!existed)
            {
                Directory.Delete(prefix, recursive: true);
            }
            else if (IsEmpty(prefix) && Directory.Exists(Path.Combine(prefix, "conda-meta")))
            {
                Directory.Delete(Path.Combine(prefix, "conda-meta"), recursive: true);
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
