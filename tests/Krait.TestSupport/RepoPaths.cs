namespace Krait.TestSupport;

/// <summary>Locates the repository root and the shared real-world data beside it (../shared/data).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>The shared folder next to the checkout; tests read real channels and packages from it.</summary>
    public static string Shared
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("KRAIT_SHARED_DIR");
            return string.IsNullOrEmpty(fromEnvironment)
                ? Path.GetFullPath(Path.Combine(Root, "..", "shared"))
                : fromEnvironment;
        }
    }

    public static string Data => Path.Combine(Shared, "data");

    public static string Channels => Path.Combine(Data, "channels");

    public static string Conformance => Path.Combine(Shared, "conformance");

    public static string Channel(string name) => Path.Combine(Channels, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Krait.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Krait.slnx not found above {AppContext.BaseDirectory}");
    }
}
