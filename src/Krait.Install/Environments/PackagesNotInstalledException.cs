using Krait.Conda.Specs;

namespace Krait.Install.Environments;

/// <summary>Specs a removal names that match nothing installed (conda's <c>PackagesNotFoundError</c>).</summary>
public sealed class PackagesNotInstalledException : InstallException
{
    public PackagesNotInstalledException(IReadOnlyList<MatchSpec> missing)
        : base("The following packages are missing from the target environment:\n" + string.Join('\n', missing.Select(m => $"  - {m}")))
    {
        Missing = missing;
    }

    public IReadOnlyList<MatchSpec> Missing { get; }
}
