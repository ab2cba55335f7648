namespace Krait.TestSupport;

/// <summary>
/// A program a test needs (a shell, conda's archive library): found on PATH, or the test fails saying what is
/// missing and how to get it. Never a silent pass: a test that checks nothing must not count as green.
/// </summary>
public static class RequiredTool
{
    /// <summary>The full path of <paramref name="name"/> on PATH.</summary>
    /// <param name="install">How to get the tool, for the failure message (.ci/run installs every one it can).</param>
    /// <exception cref="InvalidOperationException">The tool is not on PATH.</exception>
    public static string Find(string name, string install) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"this test needs '{name}', which is not on PATH: {install} (.ci/run installs it)");
}
