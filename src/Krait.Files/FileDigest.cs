using System.Buffers;
using System.Security.Cryptography;

namespace Krait.Files;

/// <summary>
/// What a repodata record says of a file, computed from its bytes in one pass: its size, md5 (conda's older records
/// carry only that) and sha256, in lower-case hex. For writing records; checking one needs only
/// <see cref="ExpectedDigest"/>'s single hash.
/// </summary>
public sealed record FileDigest(long Size, string Md5, string Sha256)
{
    public static FileDigest Of(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        return Of(file);
    }

    /// <summary>The digest of <paramref name="stream"/> from its current position to its end.</summary>
    public static FileDigest Of(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long size = 0;
            for (int read; (read = stream.Read(buffer)) > 0; size += read)
            {
                md5.AppendData(buffer, 0, read);
                sha256.AppendData(buffer, 0, read);
            }

            return new FileDigest(size, Convert.ToHexStringLower(md5.GetHashAndReset()), Convert.ToHexStringLower(sha256.GetHashAndReset()));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
