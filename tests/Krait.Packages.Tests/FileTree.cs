using System.Security.Cryptography;

namespace Krait.Packages.Tests;

/// <summary>What a folder holds, as comparable text: every file's bytes and execute bit, every link's target, every empty folder.</summary>
internal static class FileTree
{
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(root, root, tree);
        return tree;
    }

    private static void Walk(string root, string directory, SortedDictionary<string, string> tree)
    {
        var children = new DirectoryInfo(directory).GetFileSystemInfos();
        if (children.Length == 0 && directory != root)
        {
            tree[Relative(root, directory)] = "empty folder";
        }

        foreach (var child in children)
        {
            if (child.LinkTarget is { } target)
            {
                tree[Relative(root, child.FullName)] = "link -> " + target;
            }
            else if (child is DirectoryInfo)
            {
                Walk(root, child.FullName, tree);
            }
            else
            {
                var executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(child.FullName) & UnixFileMode.UserExecute) != 0;
                tree[Relative(root, child.FullName)] = (executable ? "executable " : "file ") + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(child.FullName)));
            }
        }
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
