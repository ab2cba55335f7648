using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Krait.Packages.Bundles;

/// <summary>
/// Writes a bundle's tar: <c>bundle.json</c>, its sha256, then every member in ordinal path order, through
/// <see cref="DeterministicTar"/> (one fixed mtime, no owners), so the same packages give the same bytes.
/// </summary>
public static class BundleWriter
{
    /// <summary>The mtime of every member: the bundle's bytes must not depend on when or where it was made.</summary>
    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Executable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <param name="sources">Each member path of <paramref name="manifest"/> → the file to store under it.</param>
    /// <param name="scratch">A folder of the writer's own for the manifest files.</param>
    public static void Write(Stream output, BundleManifest manifest, IReadOnlyDictionary<string, string> sources, string scratch)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(sources);
        var manifestPath = Path.Combine(scratch, BundleManifest.Member);
        var json = manifest.ToJson();
        File.WriteAllBytes(manifestPath, json);
        var checksumPath = Path.Combine(scratch, BundleManifest.ChecksumMember);
        File.WriteAllBytes(checksumPath, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(json)) + "\n"));

        var entries = new List<PackageTreeEntry>
        {
            new(BundleManifest.Member, manifestPath, TarEntryType.RegularFile, Readable, null),
            new(BundleManifest.ChecksumMember, checksumPath, TarEntryType.RegularFile, Readable, null),
        };
        foreach (var path in manifest.Members.Select(m => m.Path).Order(StringComparer.Ordinal))
        {
            var source = sources.TryGetValue(path, out var file) ? file : throw new ArgumentException($"no file given for the member {path}", nameof(sources));
            entries.Add(new PackageTreeEntry(path, source, TarEntryType.RegularFile, path == manifest.Krait ? Executable : Readable, null));
        }

        DeterministicTar.Write(output, entries, FixedTime);
    }
}
