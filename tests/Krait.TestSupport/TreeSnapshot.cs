using System.Security.Cryptography;

namespace Krait.TestSupport;

/// <summary>Every path under a folder with what it is: a file's sha256, a link's target, or a folder.</summary>
public static class TreeSnapshot
{
    public static SortedDictionary<string, string> Take(string root, params string[] leftOut)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return result;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, entry).Replace('\\', '/');
            if (leftOut.Contains(relative, StringComparer.Ordinal))
            {
                continue;
            }

            var info = new FileInfo(entry);
            result[relative] = info.LinkTarget is { } target ? $"-> {target}"
                : Directory.Exists(entry) ? "dir"
                : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(entry)));
        }

        return result;
    }
}
