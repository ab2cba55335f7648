using System.Buffers;
using System.Security.Cryptography;

namespace Krait.Files;

/// <summary>The hash of a whole file in lower-case hex, read once through a pooled buffer.</summary>
public static class FileHash
{
    public static string Hex(string path, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Append(hash, file);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Feeds <paramref name="stream"/> from its position to its end into <paramref name="hash"/>.</summary>
    public static void Append(IncrementalHash hash, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            for (int read; (read = stream.Read(buffer)) > 0;)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
