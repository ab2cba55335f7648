using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Krait.Conda.Records;
using Krait.Files;
using Krait.Packages;

namespace Krait.TestSupport;

/// <summary>
/// A scratch folder for attack tests: where an environment goes, a package cache, a local channel of packages written
/// with Krait's own <see cref="PackageWriter"/> (hostile ones entry by entry), and beside them a canary folder whose
/// every file, link and folder is compared before and after: an attack that reaches outside the environment and the
/// cache shows as a change there.
/// </summary>
public sealed class HostileWorkspace : IDisposable
{
    private readonly SortedDictionary<string, string> canaryBefore;
    private readonly List<PackageRecord> published = [];
    private readonly TempFolder folder = new("attack");

    public HostileWorkspace()
    {
        Directory.CreateDirectory(Path.Combine(Canary, "dir"));
        File.WriteAllText(Path.Combine(Canary, "secret.txt"), "the canary's secret\n");
        File.WriteAllText(Path.Combine(Canary, "victim.txt"), "a file an attack would overwrite or delete\n");
        File.WriteAllText(Path.Combine(Canary, "dir", "nested.txt"), "nested\n");
        canaryBefore = TreeSnapshot.Take(Canary);
    }

    public string Root => folder.Path;

    /// <summary>Where the environment goes (not made here).</summary>
    public string Prefix => Path.Combine(Root, "env");

    public string Pkgs => Path.Combine(Root, "pkgs");

    public string Channel => Path.Combine(Root, "channel");

    /// <summary>Outside the environment, the cache and the channel; nothing may change it.</summary>
    public string Canary => Path.Combine(Root, "canary");

    /// <summary>What changed in the canary folder since the workspace was made, one line per path: empty when nothing did.</summary>
    public IReadOnlyList<string> CanaryChanges()
    {
        var now = TreeSnapshot.Take(Canary);
        var changes = new List<string>();
        foreach (var (path, what) in canaryBefore)
        {
            if (!now.TryGetValue(path, out var current))
            {
                changes.Add($"deleted: {path}");
            }
            else if (current != what)
            {
                changes.Add($"changed: {path}");
            }
        }

        changes.AddRange(now.Keys.Where(p => !canaryBefore.ContainsKey(p)).Select(p => $"created: {p}"));
        return changes;
    }

    /// <summary>
    /// Writes a package into the channel (<paramref name="subdir"/>) from its payload entries exactly as given, with
    /// an <c>info/index.json</c> and an <c>info/paths.json</c> that list them (files with their sha256 and size,
    /// symlinks as softlinks), and returns its record as repodata would give it.
    /// </summary>
    public PackageRecord Publish(string name, string version, string build, IReadOnlyList<ArchiveEntry> payload, string subdir = "noarch", string extension = ".conda", IReadOnlyList<string>? depends = null, IReadOnlyList<ArchiveEntry>? extraInfo = null)
    {
        var fileName = $"{name}-{version}-{build}{extension}";
        var path = Path.Combine(Channel, subdir, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        List<ArchiveEntry> entries =
        [
            ArchiveEntry.File("info/index.json", Json(w =>
            {
                w.WriteString("name", name);
                w.WriteString("version", version);
                w.WriteString("build", build);
                w.WriteNumber("build_number", 0);
                w.WriteStartArray("depends");
                foreach (var dependency in depends ?? [])
                {
                    w.WriteStringValue(dependency);
                }

                w.WriteEndArray();
                w.WriteString("subdir", subdir);
            })),
            ArchiveEntry.File("info/paths.json", PathsJson(payload)),
            .. extraInfo ?? [],
            .. payload,
        ];
        PackageWriter.WriteEntries(path, entries);
        var digest = FileDigest.Of(path);
        var record = new PackageRecord
        {
            Name = name,
            Version = version,
            Build = build,
            FileName = fileName,
            Subdir = subdir,
            Depends = depends ?? [],
            Sha256 = digest.Sha256,
            Md5 = digest.Md5,
            Size = digest.Size,
            Url = new Uri(path).AbsoluteUri,
            Channel = new Uri(Channel).AbsoluteUri.TrimEnd('/'),
        };
        published.Add(record);
        return record;
    }

    /// <summary>Writes <c>repodata.json</c> for <c>noarch</c> and <paramref name="platform"/> with every published package (so the channel is usable with <c>-c</c>).</summary>
    public void WriteRepodata(string platform = "linux-64")
    {
        foreach (var subdir in new[] { "noarch", platform })
        {
            Directory.CreateDirectory(Path.Combine(Channel, subdir));
            File.WriteAllBytes(Path.Combine(Channel, subdir, "repodata.json"), Json(w =>
            {
                w.WriteStartObject("info");
                w.WriteString("subdir", subdir);
                w.WriteEndObject();
                foreach (var section in new[] { "packages", "packages.conda" })
                {
                    w.WriteStartObject(section);
                    foreach (var record in published.Where(r => r.Subdir == subdir && r.FileName.EndsWith(section == "packages" ? ".tar.bz2" : ".conda", StringComparison.Ordinal)))
                    {
                        w.WriteStartObject(record.FileName);
                        w.WriteString("name", record.Name);
                        w.WriteString("version", record.Version);
                        w.WriteString("build", record.Build);
                        w.WriteNumber("build_number", 0);
                        w.WriteStartArray("depends");
                        foreach (var dependency in record.Depends)
                        {
                            w.WriteStringValue(dependency);
                        }

                        w.WriteEndArray();
                        w.WriteString("sha256", record.Sha256);
                        w.WriteString("md5", record.Md5);
                        w.WriteNumber("size", record.Size ?? 0);
                        w.WriteString("subdir", subdir);
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                }
            }));
        }
    }

    public void Dispose() => folder.Dispose();

    /// <summary>paths.json for a payload: files as hardlinks with sha256 and size, symlinks as softlinks, hard links as the file they copy.</summary>
    private static byte[] PathsJson(IReadOnlyList<ArchiveEntry> payload)
    {
        var contents = payload.Where(e => e.Type == TarEntryType.RegularFile).GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.Last().Content ?? [], StringComparer.Ordinal);
        return Json(w =>
        {
            w.WriteStartArray("paths");
            foreach (var entry in payload)
            {
                var content = entry.Type switch
                {
                    TarEntryType.RegularFile => entry.Content ?? [],
                    TarEntryType.HardLink when entry.LinkTarget is { } source && contents.TryGetValue(source, out var copied) => copied,
                    _ => null,
                };
                if (entry.Type is not (TarEntryType.RegularFile or TarEntryType.HardLink or TarEntryType.SymbolicLink))
                {
                    continue;
                }

                w.WriteStartObject();
                w.WriteString("_path", entry.Name);
                w.WriteString("path_type", entry.Type == TarEntryType.SymbolicLink ? "softlink" : "hardlink");
                if (content is not null)
                {
                    w.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));
                    w.WriteNumber("size_in_bytes", content.Length);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("paths_version", 1);
        });
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>UTF-8 bytes of <paramref name="text"/>.</summary>
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
