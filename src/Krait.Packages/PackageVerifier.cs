using System.Security.Cryptography;
using Krait.Conda.Records;

namespace Krait.Packages;

/// <summary>Checks a downloaded or cached archive against its record before anything trusts it: size, then sha256 (or md5 when that is all the record has).</summary>
public static class PackageVerifier
{
    public static void Verify(string archivePath, PackageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Repodata.FileKinds.RequireRegularFile(archivePath, "the package");
        var length = new FileInfo(archivePath).Length;
        if (record.Size is { } size && size != length)
        {
            throw new HostileArchiveException(archivePath, null, $"is {length} bytes but the channel says {size}");
        }

        if (record.Sha256 is { Length: > 0 } sha256)
        {
            Compare(archivePath, "sha256", sha256, HashAlgorithmName.SHA256);
        }
        else if (record.Md5 is { Length: > 0 } md5)
        {
            Compare(archivePath, "md5", md5, HashAlgorithmName.MD5);
        }
    }

    private static void Compare(string archivePath, string label, string expected, HashAlgorithmName algorithm)
    {
        var actual = FileHash.Hex(archivePath, algorithm);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new HostileArchiveException(archivePath, null, $"has {label} {actual} but the channel says {expected}");
        }
    }
}
