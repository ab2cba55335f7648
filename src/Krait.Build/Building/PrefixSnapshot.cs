namespace Krait.Build.Building;

/// <summary>
/// The paths of the host environment (files and links, relative, <c>/</c>-separated), taken before the build script
/// runs: what the script adds to the environment is the package. Links are not followed.
/// </summary>
public static class PrefixSnapshot
{
    public static HashSet<string> Take(string prefix)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(prefix))
        {
            return paths;
        }

        var pending = new Stack<string>([prefix]);
        while (pending.Count > 0)
        {
            foreach (var entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos())
            {
                var relative = Path.GetRelativePath(prefix, entry.FullName).Replace('\\', '/');
                if (entry is DirectoryInfo { LinkTarget: null })
                {
                    pending.Push(entry.FullName);
                }
                else
                {
                    paths.Add(relative);
                }
            }
        }

        return paths;
    }
}
