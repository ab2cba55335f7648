using System.Security.Cryptography;
using Krait.Files;

namespace Krait.Packages;

/// <summary>
/// conda's <c>safety_checks</c>: do the files of an extracted package match what its <c>info/paths.json</c>
/// declares (size and sha256)? Krait hashes each file while it unpacks it, so the check costs no second read; the
/// package cache keeps the answer in the entry (<see cref="MarkerFile"/>, beside conda's own
/// <c>info/repodata_record.json</c>) and it is read again whenever the entry is linked. Entries
/// Krait did not unpack (conda's or mamba's caches) are checked by size at link time, and by sha256 too with
/// <c>extra_safety_checks</c>, as conda checks them.
/// </summary>
public static class PayloadCheck
{
    /// <summary>Inside the entry's <c>info/</c>: one line per mismatch, empty when everything matched.</summary>
    public const string MarkerFile = "info/.krait-payload-check";

    /// <summary>The mismatches between what was unpacked (<paramref name="seen"/>: size and sha256 per path) and what <paramref name="declared"/> says.</summary>
    public static List<string> Compare(IReadOnlyDictionary<string, (long Size, string Sha256)> seen, IReadOnlyList<PathEntry> declared)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(declared);
        var mismatches = new List<string>();
        foreach (var entry in declared)
        {
            if (entry.PathType != "hardlink")
            {
                continue;
            }

            if (!seen.TryGetValue(entry.Path, out var actual))
            {
                mismatches.Add($"{entry.Path}: listed in info/paths.json but not a file of the package");
                continue;
            }

            Describe(entry, actual.Size, actual.Sha256, mismatches);
        }

        return mismatches;
    }

    /// <summary>Checks an unpacked folder against its <c>info/paths.json</c> by reading it: sizes always, sha256 with <paramref name="hash"/>.</summary>
    public static List<string> Verify(string extracted, bool hash)
    {
        var mismatches = new List<string>();
        if (PathsJson.Read(extracted) is not { } paths)
        {
            return mismatches;
        }

        foreach (var entry in paths.Paths)
        {
            if (entry.PathType != "hardlink")
            {
                continue;
            }

            var file = new FileInfo(Path.Combine(extracted, entry.Path));
            if (!file.Exists || file.LinkTarget is not null)
            {
                mismatches.Add($"{entry.Path}: listed in info/paths.json but not a file of the package");
                continue;
            }

            Describe(entry, file.Length, hash && entry.Sha256 is not null ? FileHash.Hex(file.FullName, HashAlgorithmName.SHA256) : null, mismatches);
        }

        return mismatches;
    }

    public static void WriteMarker(string extracted, IReadOnlyList<string> mismatches)
    {
        var path = Path.Combine(extracted, MarkerFile);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, mismatches);
    }

    /// <summary>The mismatches Krait found when it unpacked the entry, or null when Krait did not unpack it.</summary>
    public static IReadOnlyList<string>? ReadMarker(string extracted)
    {
        var path = Path.Combine(extracted, MarkerFile);
        return File.Exists(path) ? File.ReadAllLines(path) : null;
    }

    private static void Describe(PathEntry entry, long size, string? sha256, List<string> mismatches)
    {
        if (entry.SizeInBytes is { } declaredSize && declaredSize != size)
        {
            mismatches.Add($"{entry.Path}: {size} bytes, but info/paths.json says {declaredSize}");
        }
        else if (sha256 is not null && entry.Sha256 is { Length: > 0 } declared && !string.Equals(declared, sha256, StringComparison.OrdinalIgnoreCase))
        {
            mismatches.Add($"{entry.Path}: sha256 {sha256}, but info/paths.json says {declared}");
        }
    }
}
