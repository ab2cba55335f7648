namespace Krait.TestSupport;

/// <summary>
/// A folder of its own under the system's temporary folder for one test or test class, removed on dispose with
/// everything in it (made writable first: tests leave read-only folders behind on purpose). The folder itself is
/// not created, so that a test can hand its path to code that must create it; <see cref="Create"/> makes it.
/// </summary>
public sealed class TempFolder : IDisposable
{
    /// <param name="label">Part of the folder's name, to tell whose folder it is (it may hold spaces or quotes on purpose).</param>
    public TempFolder(string label) => Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"krait-{label}-{Guid.NewGuid():N}");

    public string Path { get; }

    /// <summary>The folder's path, so that a <see cref="TempFolder"/> goes wherever a path does.</summary>
    public static implicit operator string(TempFolder folder) => folder.Path;

    /// <summary>Makes the folder (and returns it, for field initialisers).</summary>
    public TempFolder Create()
    {
        Directory.CreateDirectory(Path);
        return this;
    }

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public override string ToString() => Path;

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
            foreach (var directory in Directory.EnumerateDirectories(Path, "*", options).Prepend(Path))
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Delete(Path, recursive: true);
    }
}
