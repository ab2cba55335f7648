using Krait.Files;

namespace Krait.Install;

/// <summary>
/// Paths under a root folder (an environment, or a package's folder in the cache) resolved the way the kernel will
/// resolve them: component by component, against what is on disk, each symlink among the folders followed (at most
/// <see cref="MaxLinkHops"/> of them) and required to lead to a place inside the root. A path whose folders lead
/// outside is refused, so nothing written, linked, replaced, read or deleted through it can leave the root, whatever
/// links packages put there. The last component is never followed: creating, replacing or deleting a link acts on
/// the link itself. Folders once resolved are remembered until <see cref="Forget"/> says one was replaced.
/// </summary>
public sealed class PrefixTree
{
    /// <summary>The kernel's own limit (Linux's MAXSYMLINKS) on links followed while resolving one path.</summary>
    public const int MaxLinkHops = 40;

    private readonly Dictionary<string, string> folders = new(StringComparer.Ordinal) { [string.Empty] = string.Empty };
    private readonly HashSet<string> resolvedFolders = new(StringComparer.Ordinal) { string.Empty };

    /// <param name="root">The folder; <paramref name="description"/> names it in errors ("the environment /x/env").</param>
    public PrefixTree(string root, string description)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Description = description;
    }

    public string Root { get; }

    public string Description { get; }

    /// <summary>The full path of <paramref name="relative"/> (checked, '/'-separated) with its folders resolved; throws <see cref="InstallException"/> when they lead outside.</summary>
    public string Resolve(string relative) => PrefixPaths.Under(Root, ResolveRelative(relative));

    /// <summary>Like <see cref="Resolve"/>, the path relative to the root: where the kernel will really put <paramref name="relative"/>.</summary>
    public string ResolveRelative(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var slash = relative.LastIndexOf('/');
        if (slash < 0)
        {
            return relative;
        }

        var hops = 0;
        var folder = Folder(relative[..slash], relative, ref hops);
        var name = relative[(slash + 1)..];
        return folder.Length == 0 ? name : $"{folder}/{name}";
    }

    /// <summary>Like <see cref="Resolve"/>, but false (with the reason) instead of an exception.</summary>
    public bool TryResolve(string relative, out string path, out string? problem)
    {
        try
        {
            path = Resolve(relative);
            problem = null;
            return true;
        }
        catch (InstallException e)
        {
            path = string.Empty;
            problem = e.Message;
            return false;
        }
    }

    /// <summary>Something other than a folder now stands at <paramref name="realRelative"/> (a link, a file, or nothing): what was resolved through it is forgotten.</summary>
    public void Forget(string realRelative)
    {
        // Every folder a resolution passed through is remembered, so a path never passed through needs nothing forgotten.
        if (folders.ContainsKey(realRelative) || resolvedFolders.Contains(realRelative))
        {
            folders.Clear();
            resolvedFolders.Clear();
            folders[string.Empty] = string.Empty;
            resolvedFolders.Add(string.Empty);
        }
    }

    /// <summary>The real relative path of the folder <paramref name="relative"/> (lexical, may pass through links).</summary>
    private string Folder(string relative, string whole, ref int hops)
    {
        if (folders.TryGetValue(relative, out var known))
        {
            return known;
        }

        var slash = relative.LastIndexOf('/');
        var parent = slash < 0 ? string.Empty : Folder(relative[..slash], whole, ref hops);
        var name = slash < 0 ? relative : relative[(slash + 1)..];
        var candidate = parent.Length == 0 ? name : $"{parent}/{name}";
        var real = candidate;
        var full = PrefixPaths.Under(Root, candidate);
        if (FileKinds.Of(full) == FileKind.Symlink)
        {
            var target = new FileInfo(full).LinkTarget!;
            if (++hops > MaxLinkHops)
            {
                throw new InstallException($"{Description}: '{whole}' passes through more than {MaxLinkHops} links (a loop?)");
            }

            real = FollowLink(parent, candidate, target, whole, ref hops);
        }

        folders[relative] = real;
        resolvedFolders.Add(real);
        return real;
    }

    /// <summary>Where the link at <paramref name="link"/> (in the real folder <paramref name="parent"/>) leads, relative to the root.</summary>
    private string FollowLink(string parent, string link, string target, string whole, ref int hops)
    {
        string current;
        string rest;
        if (Path.IsPathRooted(target))
        {
            // An absolute link (made by a link script, or by another tool) is inside only if it names the root itself.
            if (!target.Equals(Root, StringComparison.Ordinal) && !target.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw Outside(link, target, whole);
            }

            current = string.Empty;
            rest = target[Root.Length..];
        }
        else
        {
            current = parent;
            rest = target;
        }

        if (OperatingSystem.IsWindows())
        {
            rest = rest.Replace('\\', '/');
        }

        foreach (var segment in rest.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (current.Length == 0)
                {
                    throw Outside(link, target, whole);
                }

                var up = current.LastIndexOf('/');
                current = up < 0 ? string.Empty : current[..up];
                continue;
            }

            current = Folder(current.Length == 0 ? segment : $"{current}/{segment}", whole, ref hops);
        }

        return current;
    }

    private InstallException Outside(string link, string target, string whole) =>
        new($"{Description}: '{whole}' passes through the link '{link}' -> '{target}', which leads outside it; refusing to write, read or delete through it");
}
