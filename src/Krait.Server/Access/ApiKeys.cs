using System.Security.Cryptography;
using System.Text;

namespace Krait.Server.Access;

/// <summary>
/// API keys: 256 random bits, shown once; the server keeps only their SHA-256 (a key is as random as a hash, so a
/// fast hash loses nothing), and finds a key by its hash, so no comparison of secrets happens in code.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "krait_";

    public static string Generate() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Whether the text could be a key at all (bounded length, printable): anything else is refused before a lookup.</summary>
    public static bool IsPlausible(string? key) => key is { Length: > 8 and <= 256 } && key.All(c => c is > ' ' and < '\u007f');
}
