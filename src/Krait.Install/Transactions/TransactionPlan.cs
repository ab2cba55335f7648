using Krait.Conda.Records;
using Krait.Conda.Specs;

namespace Krait.Install.Transactions;

/// <summary>
/// What a transaction does to an environment: the installed packages it removes, the records it links (in an order
/// where dependencies come before their dependents) and the installed packages it leaves alone.
/// </summary>
public sealed record TransactionPlan(IReadOnlyList<InstalledPackage> Unlink, IReadOnlyList<PackageRecord> Link, IReadOnlyList<InstalledPackage> Keep)
{
    public bool IsEmpty => Unlink.Count == 0 && Link.Count == 0;

    /// <summary>The difference between what is installed and the environment wanted.</summary>
    /// <param name="reinstall">Names to unlink and link anew even where the same package is installed (<c>--force-reinstall</c>).</param>
    public static TransactionPlan Compute(IReadOnlyList<InstalledPackage> installed, IReadOnlyList<PackageRecord> wanted, IReadOnlySet<string>? reinstall = null)
    {
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(wanted);
        var wantedByName = new Dictionary<string, PackageRecord>(StringComparer.Ordinal);
        foreach (var record in wanted)
        {
            if (!wantedByName.TryAdd(record.Name, record))
            {
                throw new InstallException($"the environment would hold two {record.Name} packages ({wantedByName[record.Name]} and {record})");
            }
        }

        var unlink = new List<InstalledPackage>();
        var keep = new List<InstalledPackage>();
        var keptNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var package in installed)
        {
            if (wantedByName.TryGetValue(package.Record.Name, out var record) && SamePackage(package.Record, record) && !(reinstall?.Contains(record.Name) ?? false))
            {
                keep.Add(package);
                keptNames.Add(record.Name);
            }
            else
            {
                unlink.Add(package);
            }
        }

        var link = wanted.Where(r => !keptNames.Contains(r.Name)).ToList();
        return new TransactionPlan(unlink, DependencyOrder(link), keep);
    }

    /// <summary>The plan that removes the packages called <paramref name="names"/> and keeps the rest.</summary>
    public static TransactionPlan Removing(IReadOnlyList<InstalledPackage> installed, IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(names);
        return new TransactionPlan(
            [.. installed.Where(p => names.Contains(p.Record.Name))],
            [],
            [.. installed.Where(p => !names.Contains(p.Record.Name))]);
    }

    /// <summary>The same build of the same package: equal name, version and build, and equal hashes where both records have them.</summary>
    public static bool SamePackage(PackageRecord installed, PackageRecord wanted)
    {
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(wanted);
        if (installed.Name != wanted.Name || installed.Version != wanted.Version || installed.Build != wanted.Build)
        {
            return false;
        }

        if (installed.Sha256 is { Length: > 0 } a && wanted.Sha256 is { Length: > 0 } b)
        {
            return string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        }

        return installed.Md5 is not { Length: > 0 } md5 || wanted.Md5 is not { Length: > 0 } other || string.Equals(md5, other, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Dependencies before dependents (so that python is in place before the packages that compile against it and
    /// link scripts find what they need); names keep their sorted order otherwise, and a cycle is broken by name.
    /// </summary>
    public static IReadOnlyList<PackageRecord> DependencyOrder(IReadOnlyList<PackageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var byName = records.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var ordered = new List<PackageRecord>(records.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: in progress, true: done
        void Visit(PackageRecord record)
        {
            if (state.ContainsKey(record.Name))
            {
                return;
            }

            state[record.Name] = false;
            foreach (var dependency in record.Depends)
            {
                if (byName.TryGetValue(MatchSpec.NameOf(dependency), out var next))
                {
                    Visit(next);
                }
            }

            // noarch: python packages need python even when a record does not say so (conda adds it implicitly).
            if (record.NoArch == NoArchType.Python && byName.TryGetValue("python", out var python))
            {
                Visit(python);
            }

            state[record.Name] = true;
            ordered.Add(record);
        }

        foreach (var record in records.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            Visit(record);
        }

        return ordered;
    }
}
