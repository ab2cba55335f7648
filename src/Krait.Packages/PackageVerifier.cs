using Krait.Conda.Records;
using Krait.Files;

namespace Krait.Packages;

/// <summary>Checks an archive against its record before anything trusts it, by the one rule of <see cref="ExpectedDigest"/>.</summary>
public static class PackageVerifier
{
    /// <summary>What the record says its archive is.</summary>
    public static ExpectedDigest Expected(PackageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ExpectedDigest(record.Size, record.Sha256, record.Md5);
    }

    /// <exception cref="DigestMismatchException">The archive is not the one the record describes.</exception>
    public static void Verify(string archivePath, PackageRecord record)
    {
        FileKinds.RequireRegularFile(archivePath, "the package");
        Expected(record).CheckFile(archivePath);
    }
}
