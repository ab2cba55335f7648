namespace Krait.Install.Transactions;

/// <summary>
/// Paths of a Windows environment longer than <c>MAX_PATH</c> (260 characters with the terminating NUL): Windows opens
/// them only where long paths are enabled (<c>LongPathsEnabled</c>, Windows 10 1607 and later) and in programs that
/// declare it, so many tools fail on them. Said once per transaction, before anything is linked.
/// </summary>
internal static class WindowsPaths
{
    private const int MaxPath = 259;

    public static string? TooLong(string prefix, IEnumerable<Clobbers.IPlannedPackage> linking)
    {
        var count = 0;
        var longest = string.Empty;
        foreach (var package in linking)
        {
            foreach (var action in package.Actions)
            {
                var length = prefix.Length + 1 + action.TargetPath.Length;
                if (length > MaxPath)
                {
                    count++;
                    longest = length > prefix.Length + 1 + longest.Length ? action.TargetPath : longest;
                }
            }
        }

        return count == 0
            ? null
            : $"{count} path(s) of this Windows environment are longer than Windows' {MaxPath + 1}-character limit (the longest, {prefix.Length + 1 + longest.Length} characters: {longest}); they open only where long paths are enabled (LongPathsEnabled): enable them, or choose a shorter prefix";
    }
}
