using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Files;

namespace Krait.Packages;

/// <summary>
/// Makes a real conda package from a description (name, version, build, dependencies and a few files), for tests and
/// example channels: it lays out the payload and the <c>info/</c> metadata conda-build would write, then archives it
/// with <see cref="PackageWriter"/>. The same description always gives the same archive bytes.
/// </summary>
public sealed class PackageBuilder(string name, string version, string build)
{
    /// <summary>The build prefix conda-build leaves in files for the installer to replace with the environment's path.</summary>
    public const string PrefixPlaceholder = "/opt/anaconda1anaconda2anaconda3";

    public string Name { get; } = name;

    public string Version { get; } = version;

    public string Build { get; } = build;

    public long BuildNumber { get; set; }

    public IList<string> Depends { get; } = [];

    public IList<string> Constrains { get; } = [];

    public string Subdir { get; set; } = Platform.NoArch;

    public NoArchType NoArch { get; set; }

    public string? License { get; set; }

    public string? TrackFeatures { get; set; }

    /// <summary>Milliseconds since the epoch, as in repodata; also the mtime of every archive entry.</summary>
    public long? Timestamp { get; set; }

    /// <summary>With <see cref="Home"/>, written to <c>info/about.json</c> when either is set.</summary>
    public string? Summary { get; set; }

    public string? Home { get; set; }

    /// <summary>Console scripts of a noarch python package (<c>name = module:function</c>), written to <c>info/link.json</c>.</summary>
    public IList<string> EntryPoints { get; } = [];

    public IList<PackageFile> Files { get; } = [];

    /// <summary><c>name-version-build</c> plus <paramref name="extension"/>: the file name channels use.</summary>
    public string FileName(string extension = PackageFileName.CondaExtension) => $"{Name}-{Version}-{Build}{extension}";

    public PackageBuilder Add(PackageFile file)
    {
        Files.Add(file);
        return this;
    }

    /// <summary>Writes the extracted-package layout (payload plus <c>info/</c>) into <paramref name="directory"/>, which must be empty or absent.</summary>
    public void WriteLayout(string directory)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"{directory} is not empty");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            CheckPath(file.Path);
            if (!seen.Add(file.Path))
            {
                throw new ArgumentException($"{this}: '{file.Path}' is listed twice");
            }

            WritePayload(directory, file);
        }

        var info = Path.Combine(directory, "info");
        Directory.CreateDirectory(info);
        PackageInfoFiles.WriteIndex(Path.Combine(info, "index.json"), this);
        PackageInfoFiles.WritePaths(Path.Combine(info, "paths.json"), Files);
        PackageInfoFiles.WriteFileList(Path.Combine(info, "files"), Files);
        if (NoArch == NoArchType.Python)
        {
            PackageInfoFiles.WriteLink(Path.Combine(info, "link.json"), EntryPoints);
        }

        if (Summary is not null || Home is not null)
        {
            PackageInfoFiles.WriteAbout(Path.Combine(info, "about.json"), this);
        }
    }

    /// <summary>Builds the package into <paramref name="outputDirectory"/> under its channel file name.</summary>
    public BuiltPackage WriteTo(string outputDirectory, string extension = PackageFileName.CondaExtension) =>
        Write(Path.Combine(outputDirectory, FileName(extension)));

    /// <summary>Builds the package as <paramref name="outputPath"/> (<c>.conda</c> or <c>.tar.bz2</c>, by its extension).</summary>
    public BuiltPackage Write(string outputPath)
    {
        var layout = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, $".{Path.GetFileName(outputPath)}.layout-{Guid.NewGuid():N}");
        try
        {
            WriteLayout(layout);
            PackageWriter.Write(layout, outputPath);
        }
        finally
        {
            if (Directory.Exists(layout))
            {
                Directory.Delete(layout, recursive: true);
            }
        }

        return Describe(outputPath);
    }

    public override string ToString() => $"{Name}-{Version}-{Build}";

    private static BuiltPackage Describe(string path)
    {
        var digest = FileDigest.Of(path);
        return new BuiltPackage(path, digest.Size, digest.Md5, digest.Sha256);
    }

    private void CheckPath(string path)
    {
        var segments = path.Split('/');
        if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || path.Contains(':', StringComparison.Ordinal)
            || segments.Any(s => s is "" or "." or ".."))
        {
            throw new ArgumentException($"{this}: '{path}' must be a plain relative path with '/' separators");
        }

        if (segments[0] == "info")
        {
            throw new ArgumentException($"{this}: '{path}' is inside info/, which the builder writes itself");
        }
    }

    private static void WritePayload(string root, PackageFile file)
    {
        var target = Path.Combine(root, file.Path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (file.SymlinkTarget is { } link)
        {
            File.CreateSymbolicLink(target, link);
            return;
        }

        File.WriteAllBytes(target, file.Content);
        if (!OperatingSystem.IsWindows())
        {
            // Set explicitly: the archive keeps the execute bits, and they must not depend on the umask.
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            if (file.Executable)
            {
                mode |= UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            }

            File.SetUnixFileMode(target, mode);
        }
    }
}
