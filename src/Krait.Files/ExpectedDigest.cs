using System.Security.Cryptography;

namespace Krait.Files;

/// <summary>
/// What a channel says a file is: its size and its sha256, else its md5 (any may be missing). The one rule every
/// archive is checked by, downloaded or found in a cache: size first, then sha256, and md5 only when the record has
/// no sha256. Only that one hash is ever computed.
/// </summary>
public sealed record ExpectedDigest(long? Size, string? Sha256, string? Md5)
{
    /// <summary>The hash the check uses: sha256, else md5; null when the channel gives neither.</summary>
    public HashAlgorithmName? Algorithm => Sha256 is { Length: > 0 } ? HashAlgorithmName.SHA256 : Md5 is { Length: > 0 } ? HashAlgorithmName.MD5 : null;

    /// <summary>True when a hash is known: a file that matches is then the very file the channel indexed.</summary>
    public bool HasHash => Algorithm is not null;

    /// <summary>How a file of <paramref name="size"/> bytes differs from what is expected, or null.</summary>
    public string? SizeMismatch(long size) => Size is { } expected && expected != size ? $"is {size} bytes, not the {expected} the channel lists" : null;

    /// <summary>How a file whose <see cref="Algorithm"/> hash is <paramref name="hex"/> differs from what is expected, or null.</summary>
    public string? HashMismatch(string hex)
    {
        var (label, expected) = Sha256 is { Length: > 0 } sha256 ? ("sha256", sha256) : ("md5", Md5);
        return expected is { Length: > 0 } && !string.Equals(expected, hex, StringComparison.OrdinalIgnoreCase)
            ? $"has {label} {hex}, not the {expected} the channel lists"
            : null;
    }

    /// <summary>Checks the file at <paramref name="path"/>: its size first (no read at all when that differs), then its hash.</summary>
    /// <exception cref="DigestMismatchException">It is not the file the channel lists.</exception>
    public void CheckFile(string path)
    {
        var problem = SizeMismatch(new FileInfo(path).Length) ?? (Algorithm is { } algorithm ? HashMismatch(FileHash.Hex(path, algorithm)) : null);
        if (problem is not null)
        {
            throw new DigestMismatchException(path, problem);
        }
    }
}
