using Krait.Conda.Platforms;
using Krait.Conda.Records;
namespace Krait.Conda.VirtualPackages;

/// <summary>A property of the machine seen by the solver as an installed package (CEP-30): <c>__glibc 2.35 0</c>.</summary>
public sealed record VirtualPackage(string Name, string Version, string Build)
{
    public override string ToString() => $"{Name}={Version}={Build}";

    /// <summary>The package as a record the solver can select.</summary>
    public PackageRecord ToRecord() => new()
    {
        Name = Name,
        Version = Version,
        Build = Build,
        FileName = $"{Name}-{Version}-{Build}",
        Channel = "@",
        Subdir = Platform.NoArch,
    };
}
