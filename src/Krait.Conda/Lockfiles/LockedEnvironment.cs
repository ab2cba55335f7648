using Krait.Conda.Environments;
using Krait.Conda.Records;

namespace Krait.Conda.Lockfiles;

/// <summary>What of a lockfile one platform installs: its conda packages as records (to link exactly, without solving), and what conda does not install.</summary>
public sealed record LockedEnvironment(IReadOnlyList<PackageRecord> Records, IReadOnlyList<LockedPackage> Pypi, IReadOnlyList<LockedPackage> FromSource)
{
    /// <summary>
    /// The packages <paramref name="environment"/> of <paramref name="lockFile"/> locks for the conda subdir
    /// <paramref name="subdir"/>; conda-lock's optional categories only when asked for. A conda package without a
    /// checksum, or an environment or platform the lockfile does not have, is a <see cref="FormatException"/> that says so.
    /// </summary>
    public static LockedEnvironment For(LockFile lockFile, string environment, string subdir, IReadOnlySet<string>? categories = null)
    {
        ArgumentNullException.ThrowIfNull(lockFile);
        if (!lockFile.Environments.TryGetValue(environment, out var locked))
        {
            throw new FormatException($"the lockfile has no environment '{environment}' (it has: {string.Join(", ", lockFile.Environments.Keys)})");
        }

        var platform = locked.Packages.Keys.FirstOrDefault(p => lockFile.Subdirs.GetValueOrDefault(p, p) == subdir)
            ?? throw new FormatException($"the lockfile locks no packages of '{environment}' for {subdir} (it locks: {string.Join(", ", locked.Packages.Keys)}); lock that platform too, or give --platform");
        var records = new List<PackageRecord>();
        var pypi = new List<LockedPackage>();
        var fromSource = new List<LockedPackage>();
        foreach (var package in locked.Packages[platform])
        {
            if (package.Optional && !(categories?.Contains(package.Category) ?? false))
            {
                continue;
            }

            switch (package.Kind)
            {
                case LockedPackageKind.Pypi:
                    pypi.Add(package);
                    break;
                case LockedPackageKind.CondaSource:
                    fromSource.Add(package);
                    break;
                default:
                    if (package.Sha256 is null && package.Md5 is null)
                    {
                        throw new FormatException($"the locked package {package.Location} has no sha256 or md5: it cannot be verified, so it is not installed");
                    }

                    records.Add(new ExplicitPackage(package.Location, package.Md5, package.Sha256).ToRecord(package.Depends, package.Size));
                    break;
            }
        }

        return new LockedEnvironment(records, pypi, fromSource);
    }
}
