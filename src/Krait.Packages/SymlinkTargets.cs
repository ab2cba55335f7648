namespace Krait.Packages;

/// <summary>
/// Which symlink targets a package may ship, decided by the target's shape alone so that the answer cannot change
/// with what else is (or later gets) on disk. Checked as a string, <c>d/d/d/../../..</c> stays inside; on disk, with
/// <c>d -> .</c>, each <c>d</c> goes nowhere and each <c>..</c> goes up. So a target must be relative and climb
/// first, then only descend: some <c>..</c> (no more than the folders above the link), then names. The climb is
/// fixed by where the link lives; each name descends into a real folder or into another link of the same shape, so
/// by induction nothing resolves outside the root however links are combined. This is the shape conda-build gives
/// every link it makes (<c>os.path.relpath</c>), so real packages keep working.
/// </summary>
public static class SymlinkTargets
{
    /// <summary>
    /// Why <paramref name="target"/> may not be the target of a link whose folder is <paramref name="parentDepth"/>
    /// levels below the root (0 for a link at the root), or null when it may.
    /// </summary>
    public static string? Problem(string? target, int parentDepth)
    {
        if (string.IsNullOrEmpty(target))
        {
            return "links to nothing";
        }

        if (target.Contains('\0', StringComparison.Ordinal) || target.Contains('\\', StringComparison.Ordinal))
        {
            return $"links to '{target}', which holds a NUL or a backslash";
        }

        if (target[0] == '/' || (target.Length >= 2 && target[1] == ':'))
        {
            return $"links to the absolute path '{target}'; links must be relative";
        }

        var climbs = 0;
        var descended = false;
        foreach (var segment in target.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (descended)
                {
                    return $"links to '{target}', which goes up ('..') after going down: where that leads depends on what the folders before it are on disk";
                }

                climbs++;
                continue;
            }

            descended = true;
        }

        return climbs > parentDepth ? $"links to '{target}', which leaves the package" : null;
    }

    /// <summary>The number of folders above a path relative to the root (<c>a/b/link</c> → 2).</summary>
    public static int ParentDepth(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var depth = 0;
        foreach (var c in relativePath.AsSpan().TrimEnd('/'))
        {
            if (c == '/')
            {
                depth++;
            }
        }

        return depth;
    }
}
