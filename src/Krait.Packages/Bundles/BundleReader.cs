using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Krait.Packages.Bundles;

/// <summary>
/// Takes a bundle apart (the <c>.tar</c>, or the payload of a <c>.sh</c> installer) into a folder, checking everything
/// before it is used: an installer's payload against the sha256 in its header, the manifest against its own sha256,
/// then each member against the manifest (its path must be one the manifest names, once, a regular file of the named
/// size and sha256), and at the end that no member is missing. Anything else is an <see cref="InvalidDataException"/>
/// that says what is wrong; the caller removes the folder.
/// </summary>
public static class BundleReader
{
    private const int ManifestLimit = 64 << 20;
    private const int HeaderWindow = 8192;

    public static BundleManifest Extract(string bundlePath, string destination)
    {
        try
        {
            using var file = new FileStream(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var start = new byte[(int)Math.Min(HeaderWindow, file.Length)];
            file.ReadExactly(start);
            file.Position = 0;
            if (InstallerScript.Read(start) is { } payload)
            {
                CheckPayload(file, payload.Offset, payload.Sha256);
                file.Position = payload.Offset;
            }
            else if (start.AsSpan().StartsWith("#!"u8))
            {
                throw new InvalidDataException("it is a script, but not a Krait installer (no payload offset and sha256 in its header)");
            }

            return ExtractTar(file, destination);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{bundlePath} is damaged or truncated: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{bundlePath} is damaged or truncated: {e.Message}", e);
        }
    }

    private static void CheckPayload(FileStream file, long offset, string expected)
    {
        if (offset <= 0 || offset > file.Length)
        {
            throw new InvalidDataException($"the installer's payload offset {offset} is outside the file ({file.Length} bytes)");
        }

        file.Position = offset;
        var actual = Convert.ToHexStringLower(SHA256.HashData(file));
        if (actual != expected)
        {
            throw new InvalidDataException($"the installer's payload has sha256 {actual}, not {expected}");
        }
    }

    private static BundleManifest ExtractTar(Stream stream, string destination)
    {
        using var tar = new TarReader(stream, leaveOpen: true);
        var manifestBytes = ReadSmall(tar.GetNextEntry(), BundleManifest.Member);
        var checksum = Encoding.ASCII.GetString(ReadSmall(tar.GetNextEntry(), BundleManifest.ChecksumMember)).Trim();
        if (Convert.ToHexStringLower(SHA256.HashData(manifestBytes)) != checksum)
        {
            throw new InvalidDataException("the manifest does not match its sha256");
        }

        var manifest = BundleManifest.Parse(manifestBytes);
        var expected = manifest.Members.ToDictionary(m => m.Path, m => (m.Sha256, m.Size), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (tar.GetNextEntry() is { } entry)
        {
            if (!expected.TryGetValue(entry.Name, out var member) || !seen.Add(entry.Name))
            {
                throw new InvalidDataException($"it holds '{entry.Name}', which its manifest does not name (or names once)");
            }

            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.Length != member.Size || entry.DataStream is null)
            {
                throw new InvalidDataException($"'{entry.Name}' is not the regular file of {member.Size} bytes its manifest names");
            }

            var target = Path.Combine(destination, entry.Name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            string actual;
            using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = entry.DataStream.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    output.Write(buffer, 0, read);
                }

                actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            if (actual != member.Sha256)
            {
                throw new InvalidDataException($"'{entry.Name}' has sha256 {actual}, not {member.Sha256} as its manifest says");
            }
        }

        var missing = expected.Keys.Where(k => !seen.Contains(k)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{missing.Count} member(s) its manifest names are missing, e.g. {missing[0]}");
        }

        if (manifest.Krait is { } krait && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(destination, krait), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return manifest;
    }

    private static byte[] ReadSmall(TarEntry? entry, string name)
    {
        if (entry is null || entry.Name != name || entry.DataStream is null || entry.Length > ManifestLimit)
        {
            throw new InvalidDataException($"it does not start with {BundleManifest.Member} and its sha256 (not a Krait bundle?)");
        }

        var bytes = new byte[entry.Length];
        entry.DataStream.ReadExactly(bytes);
        return bytes;
    }
}
