using System.Buffers;
using System.Text.Json;

namespace Krait.Packages.Bundles;

/// <summary>
/// One conda package in a bundle: its member path, checksums, size, dependencies (for the link order) and the URL it
/// came from (credentials taken out), which the environment's records keep, as if it had been downloaded.
/// </summary>
public sealed record BundledPackage(string Path, string Sha256, string? Md5, long Size, IReadOnlyList<string> Depends, string Url);

/// <summary>Any other member of a bundle (the channel's repodata, the krait binary), with its checksum.</summary>
public sealed record BundledFile(string Path, string Sha256, long Size);

/// <summary>
/// <c>bundle.json</c>, the first member of a bundle: what it installs (<see cref="Platform"/>, the environment's
/// <see cref="Name"/>), every package and every other member with its sha256 and size, and where the krait binary is
/// (<see cref="Krait"/>, null when the bundle has none). Unpacking accepts exactly these members and nothing else.
/// </summary>
public sealed record BundleManifest(string Platform, string? Name, IReadOnlyList<BundledPackage> Packages, IReadOnlyList<BundledFile> Files, string? Krait)
{
    public const int FormatVersion = 1;

    /// <summary>The manifest's member name; the next member, <see cref="ChecksumMember"/>, holds its sha256 (so that damage to the manifest itself is seen).</summary>
    public const string Member = "bundle.json";

    public const string ChecksumMember = "bundle.json.sha256";

    /// <summary>Every member the manifest names, packages first.</summary>
    public IEnumerable<(string Path, string Sha256, long Size)> Members =>
        Packages.Select(p => (p.Path, p.Sha256, p.Size)).Concat(Files.Select(f => (f.Path, f.Sha256, f.Size)));

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("krait_bundle", FormatVersion);
            writer.WriteString("platform", Platform);
            if (Name is null)
            {
                writer.WriteNull("name");
            }
            else
            {
                writer.WriteString("name", Name);
            }

            if (Krait is null)
            {
                writer.WriteNull("krait");
            }
            else
            {
                writer.WriteString("krait", Krait);
            }

            writer.WriteStartArray("packages");
            foreach (var package in Packages)
            {
                writer.WriteStartObject();
                writer.WriteString("path", package.Path);
                writer.WriteString("sha256", package.Sha256);
                if (package.Md5 is not null)
                {
                    writer.WriteString("md5", package.Md5);
                }

                writer.WriteNumber("size", package.Size);
                writer.WriteString("url", package.Url);
                writer.WriteStartArray("depends");
                foreach (var depend in package.Depends)
                {
                    writer.WriteStringValue(depend);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("files");
            foreach (var file in Files)
            {
                writer.WriteStartObject();
                writer.WriteString("path", file.Path);
                writer.WriteString("sha256", file.Sha256);
                writer.WriteNumber("size", file.Size);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>Reads a manifest, refusing anything malformed or any member path that could land outside the bundle's folder.</summary>
    public static BundleManifest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (!root.TryGetProperty("krait_bundle", out var version) || version.GetInt32() != FormatVersion)
            {
                throw new InvalidDataException($"not a Krait bundle of format {FormatVersion} (krait_bundle)");
            }

            var packages = new List<BundledPackage>();
            foreach (var package in root.GetProperty("packages").EnumerateArray())
            {
                packages.Add(new BundledPackage(
                    SafePath(package.GetProperty("path").GetString()),
                    Hex(package.GetProperty("sha256").GetString(), 64),
                    package.TryGetProperty("md5", out var md5) ? Hex(md5.GetString(), 32) : null,
                    package.GetProperty("size").GetInt64(),
                    [.. package.GetProperty("depends").EnumerateArray().Select(d => d.GetString() ?? throw new InvalidDataException("a dependency must be text"))],
                    PackageUrl(package.GetProperty("url").GetString(), System.IO.Path.GetFileName(package.GetProperty("path").GetString()!))));
            }

            var files = root.GetProperty("files").EnumerateArray()
                .Select(f => new BundledFile(SafePath(f.GetProperty("path").GetString()), Hex(f.GetProperty("sha256").GetString(), 64), f.GetProperty("size").GetInt64()))
                .ToList();
            var krait = root.GetProperty("krait").GetString();
            var manifest = new BundleManifest(
                root.GetProperty("platform").GetString() ?? throw new InvalidDataException("the manifest has no platform"),
                root.GetProperty("name").GetString(),
                packages,
                files,
                krait is null ? null : SafePath(krait));
            var paths = manifest.Members.Select(m => m.Path).ToList();
            if (paths.Distinct(StringComparer.Ordinal).Count() != paths.Count || paths.Exists(p => p is Member or ChecksumMember))
            {
                throw new InvalidDataException("the manifest names a member twice");
            }

            if (manifest.Krait is not null && !paths.Contains(manifest.Krait))
            {
                throw new InvalidDataException("the manifest's krait binary is not one of its files");
            }

            return manifest;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"the bundle's manifest is damaged: {e.Message}", e);
        }
    }

    /// <summary>An absolute URL ending in the package's own file name: a record built from it must name the same package.</summary>
    private static string PackageUrl(string? url, string fileName) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out _) && url.EndsWith("/" + fileName, StringComparison.Ordinal)
            ? url
            : throw new InvalidDataException($"'{url}' is not the URL of {fileName}");

    /// <summary>A relative path of plain names ('/'-separated; letters, digits, <c>._+-</c>): nothing that climbs, hides or escapes.</summary>
    private static string SafePath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > 400)
        {
            throw new InvalidDataException($"'{path}' is not a member path");
        }

        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part[0] == '.' || part.AsSpan().IndexOfAnyExcept(SafeCharacters) >= 0)
            {
                throw new InvalidDataException($"'{path}' is not a member path a bundle may hold");
            }
        }

        return path;
    }

    private static readonly SearchValues<char> SafeCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-!");

    private static string Hex(string? text, int length) =>
        text is not null && text.Length == length && text.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0
            ? text
            : throw new InvalidDataException($"'{text}' is not {length} lowercase hex digits");
}
