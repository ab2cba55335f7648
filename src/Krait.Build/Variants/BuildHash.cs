using System.Security.Cryptography;
using System.Text;
using Krait.Conda.Records;

namespace Krait.Build.Variants;

/// <summary>
/// The hash in a build string (<c>py311h507f6e9</c>), as rattler-build computes it so that the same recipe and
/// variant give the same build string in both: the first 7 hex digits of the SHA-1 of the JSON of the used variant
/// (keys normalised, <c>-</c> and <c>.</c> to <c>_</c>, sorted by ordinal; Python's <c>json.dumps</c> separators
/// <c>", "</c> and <c>": "</c>), after a prefix naming the versions of numpy, python, perl, lua and R
/// (<c>np126py311</c>); a <c>noarch: python</c> package's prefix is just <c>py</c>.
/// </summary>
public static class BuildHash
{
    private static readonly (string Key, string Prefix)[] Prefixes = [("numpy", "np"), ("python", "py"), ("perl", "pl"), ("lua", "lua"), ("r_base", "r"), ("r", "r")];

    /// <summary><c>PREFIXhHASH</c>.</summary>
    public static string Compute(IReadOnlyDictionary<string, string> usedVariant, NoArchType noarch) => $"{Prefix(usedVariant, noarch)}h{Hash(usedVariant)}";

    /// <summary>The JSON that is hashed, for <c>info/hash_input.json</c> and for the curious.</summary>
    public static string Input(IReadOnlyDictionary<string, string> usedVariant)
    {
        ArgumentNullException.ThrowIfNull(usedVariant);
        var sorted = usedVariant.Select(p => (Key: Normalize(p.Key), p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal);
        var text = new StringBuilder("{");
        foreach (var (key, value) in sorted)
        {
            if (text.Length > 1)
            {
                text.Append(", ");
            }

            text.Append(Quote(key)).Append(": ").Append(Quote(value));
        }

        return text.Append('}').ToString();
    }

#pragma warning disable CA5350 // SHA-1 because rattler-build uses it: the hash names a build, it secures nothing.
    public static string Hash(IReadOnlyDictionary<string, string> usedVariant) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Input(usedVariant))))[..7];
#pragma warning restore CA5350

    public static string Prefix(IReadOnlyDictionary<string, string> usedVariant, NoArchType noarch)
    {
        ArgumentNullException.ThrowIfNull(usedVariant);
        if (noarch == NoArchType.Python)
        {
            return "py";
        }

        var byKey = usedVariant.ToDictionary(p => Normalize(p.Key), p => p.Value, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var prefix in new[] { "np", "py", "pl", "lua", "r" })
        {
            var key = Prefixes.FirstOrDefault(p => p.Prefix == prefix && byKey.ContainsKey(p.Key)).Key;
            if (key is not null)
            {
                text.Append(prefix).Append(ShortVersion(byKey[key], prefix == "pl" ? 3 : 2));
            }
        }

        return text.ToString();
    }

    /// <summary>The first <paramref name="parts"/> dot-separated parts, joined: <c>3.11.* *_cpython</c> → <c>311</c>.</summary>
    private static string ShortVersion(string value, int parts) => string.Concat(value.Split('.').Take(parts));

    private static string Normalize(string key) => key.Replace('-', '_').Replace('.', '_');

    /// <summary>A JSON string as Python's json.dumps writes it (ASCII only, \uXXXX beyond).</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '\b' => text.Append("\\b"),
                '\f' => text.Append("\\f"),
                < ' ' or > '~' => text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }
}
