namespace Krait.Install.Transactions;

/// <summary>
/// Paths that two packages of the resulting environment both ship: among the packages being linked, or between one
/// of them and a package that stays. Reported like conda's <c>ClobberWarning</c>; refused with
/// <see cref="PathConflict.Prevent"/>. Folders are not paths of a package, so sharing one is no clash. In a Windows
/// environment paths that differ only in case are one path (<c>Lib/Site.py</c> and <c>lib/site.py</c>), wherever it is made.
/// </summary>
internal static class Clobbers
{
    internal interface IPlannedPackage
    {
        Krait.Conda.Records.PackageRecord Record { get; }

        IReadOnlyList<LinkAction> Actions { get; }
    }

    public static IReadOnlyList<string> Find(IEnumerable<IPlannedPackage> linking, IReadOnlyList<InstalledPackage> keeping, PathConflict policy, bool caseInsensitive)
    {
        var comparer = caseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var owners = new Dictionary<string, List<string>>(comparer);
        void Own(string path, string package)
        {
            if (!owners.TryGetValue(path, out var list))
            {
                owners[path] = list = [];
            }

            if (!list.Contains(package, StringComparer.Ordinal))
            {
                list.Add(package);
            }
        }

        foreach (var package in keeping)
        {
            foreach (var file in package.Files)
            {
                Own(file, Describe(package.Record));
            }
        }

        var linked = new HashSet<string>(comparer);
        foreach (var package in linking)
        {
            foreach (var action in package.Actions)
            {
                if (action.Kind != LinkKind.Directory)
                {
                    Own(action.TargetPath, Describe(package.Record));
                    linked.Add(action.TargetPath);
                }
            }
        }

        var clashes = owners.Where(o => o.Value.Count > 1 && linked.Contains(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        if (clashes.Count == 0)
        {
            return [];
        }

        var messages = clashes.Select(c =>
            $"ClobberWarning: This transaction has incompatible packages due to a shared path.\n  packages: {string.Join(", ", c.Value)}\n  path: '{c.Key}'").ToList();
        if (policy == PathConflict.Prevent)
        {
            throw new InstallException(
                $"{clashes.Count} path(s) would be written by more than one package (path_conflict: prevent):\n"
                + string.Join('\n', clashes.Select(c => $"  '{c.Key}': {string.Join(", ", c.Value)}")));
        }

        return messages;
    }

    private static string Describe(Krait.Conda.Records.PackageRecord record) =>
        record.Channel is { Length: > 0 } channel ? $"{Krait.Conda.Channels.Channel.Redact(channel)}::{record}" : record.ToString();
}
