using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace Krait.Server.Access;

/// <summary>
/// People's passwords, hashed with Argon2id (memory-hard: guessing costs memory, not only time) from BouncyCastle, in
/// the PHC string form <c>$argon2id$v=19$m=65536,t=3,p=1$SALT$HASH</c>, so that a stored hash carries its own
/// parameters and stronger ones can come later without breaking old hashes. Verification compares in fixed time.
/// </summary>
public static class Passwords
{
    public const int MinimumLength = 10;

    private const int MemoryKiB = 64 * 1024;
    private const int Iterations = 3;
    private const int Parallelism = 1;
    private const int HashBytes = 32;

    /// <summary>A hash of a password that none knows the hash of yet (a fresh random salt).</summary>
    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Derive(password, salt, MemoryKiB, Iterations, Parallelism, HashBytes);
        return $"$argon2id$v=19$m={MemoryKiB},t={Iterations},p={Parallelism}${Base64(salt)}${Base64(hash)}";
    }

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="stored"/> was made from; false for anything that is not such a hash.</summary>
    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (parts is not [_, "argon2id", "v=19", var parameters, var saltText, var hashText])
        {
            return false;
        }

        var settings = parameters.Split(',').Select(p => p.Split('=')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => int.TryParse(p[1], out var n) ? n : -1, StringComparer.Ordinal);
        if (!settings.TryGetValue("m", out var memory) || !settings.TryGetValue("t", out var iterations) || !settings.TryGetValue("p", out var parallelism)
            || memory is < 8 or > 4 * 1024 * 1024 || iterations is < 1 or > 100 || parallelism is < 1 or > 64)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = FromBase64(saltText);
            expected = FromBase64(hashText);
        }
        catch (FormatException)
        {
            return false;
        }

        return expected.Length is >= 16 and <= 128
            && CryptographicOperations.FixedTimeEquals(Derive(password, salt, memory, iterations, parallelism, expected.Length), expected);
    }

    /// <summary>Spends what a verification spends, for a user who does not exist: the answer's time must not tell which names exist.</summary>
    public static void VerifyNothing(string password) => Derive(password, new byte[16], MemoryKiB, Iterations, Parallelism, HashBytes);

    private static byte[] Derive(string password, byte[] salt, int memory, int iterations, int parallelism, int length)
    {
        var generator = new Argon2BytesGenerator();
        generator.Init(new Argon2Parameters.Builder(Argon2Parameters.Argon2id)
            .WithVersion(Argon2Parameters.Version13)
            .WithSalt(salt)
            .WithMemoryAsKB(memory)
            .WithIterations(iterations)
            .WithParallelism(parallelism)
            .Build());
        var output = new byte[length];
        generator.GenerateBytes(Encoding.UTF8.GetBytes(password), output);
        return output;
    }

    /// <summary>The PHC form's base64: no padding.</summary>
    private static string Base64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromBase64(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
