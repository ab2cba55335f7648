using System.IO.Compression;
using System.Text.Json;
using Krait.Conda.Records;
using SharpCompress.Compressors.BZip2;
using ZstdSharp;
using ZstdSharp.Unsafe;
using CompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Krait.Packages;

/// <summary>
/// Writes an extracted package folder (<c>info/</c> plus the payload) as a <c>.conda</c> or <c>.tar.bz2</c> archive.
/// The output is reproducible: entries are sorted, every entry gets the package's own timestamp (from
/// <c>info/index.json</c>), owners are zeroed and only the execute bits of a file's mode are kept, so the same folder
/// always gives the same bytes (and so the same sha256 in repodata). The archive appears under its name only once it
/// is complete.
/// </summary>
public static class PackageWriter
{
    /// <summary>conda-build's default: packages are written once and downloaded many times.</summary>
    public const int DefaultZstdLevel = 19;

    /// <summary>The earliest instant a zip header can hold; .conda members get the package timestamp or this.</summary>
    private static readonly DateTimeOffset ZipEpoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="outputPath"/> in the format its extension names (<c>.conda</c> or <c>.tar.bz2</c>).</summary>
    public static void Write(string packageDirectory, string outputPath)
    {
        if (outputPath.EndsWith(PackageFileName.CondaExtension, StringComparison.Ordinal))
        {
            WriteConda(packageDirectory, outputPath);
        }
        else if (outputPath.EndsWith(PackageFileName.TarBz2Extension, StringComparison.Ordinal))
        {
            WriteTarBz2(packageDirectory, outputPath);
        }
        else
        {
            throw new ArgumentException($"{outputPath} ends neither in .conda nor in .tar.bz2", nameof(outputPath));
        }
    }

    /// <summary>
    /// A CEP-35 <c>.conda</c>: a stored (uncompressed) zip of <c>metadata.json</c>, <c>pkg-STEM.tar.zst</c> and
    /// <c>info-STEM.tar.zst</c>, where STEM is the output file name without <c>.conda</c>.
    /// </summary>
    public static void WriteConda(string packageDirectory, string outputPath, int zstdLevel = DefaultZstdLevel)
    {
        var stem = Stem(outputPath, PackageFileName.CondaExtension);
        var entries = PackageTree.List(packageDirectory);
        var mtime = Timestamp(packageDirectory);
        var zipTime = mtime < ZipEpoch ? ZipEpoch : mtime;
        WriteAtomically(outputPath, file =>
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            using (var metadata = Member(zip, "metadata.json", zipTime))
            {
                metadata.Write("""{"conda_pkg_format_version": 2}"""u8);
            }

            // info last, as conda's own tools write it: a reader that wants only the metadata finds it at the end.
            WriteZstdTar(Member(zip, $"pkg-{stem}.tar.zst", zipTime), entries.Where(e => !e.IsInfo), mtime, zstdLevel);
            WriteZstdTar(Member(zip, $"info-{stem}.tar.zst", zipTime), entries.Where(e => e.IsInfo), mtime, zstdLevel);
        });
    }

    /// <summary>A bzip2-compressed tar with the <c>info/</c> entries first, so readers can stop early for metadata.</summary>
    public static void WriteTarBz2(string packageDirectory, string outputPath)
    {
        Stem(outputPath, PackageFileName.TarBz2Extension);
        var entries = PackageTree.List(packageDirectory);
        var mtime = Timestamp(packageDirectory);
        WriteAtomically(outputPath, file =>
        {
            using var bzip2 = BZip2Stream.Create(file, CompressionMode.Compress, decompressConcatenated: false, leaveOpen: true, tolerateTruncatedStream: false);
            DeterministicTar.Write(bzip2, entries.Where(e => e.IsInfo).Concat(entries.Where(e => !e.IsInfo)), mtime);
        });
    }

    /// <summary>
    /// Writes <paramref name="entries"/> as they are, in their order (for a <c>.conda</c>, the <c>info/</c> ones into
    /// its info tarball, the rest into its pkg tarball), checking nothing: the hostile-archive tests' tool.
    /// </summary>
    public static void WriteEntries(string outputPath, IReadOnlyList<ArchiveEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (outputPath.EndsWith(PackageFileName.CondaExtension, StringComparison.Ordinal))
        {
            var stem = Stem(outputPath, PackageFileName.CondaExtension);
            WriteAtomically(outputPath, file =>
            {
                using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
                using (var metadata = Member(zip, "metadata.json", ZipEpoch))
                {
                    metadata.Write("""{"conda_pkg_format_version": 2}"""u8);
                }

                foreach (var (member, part) in new[] { ($"pkg-{stem}.tar.zst", entries.Where(e => !e.IsInfo)), ($"info-{stem}.tar.zst", entries.Where(e => e.IsInfo)) })
                {
                    using var stream = Member(zip, member, ZipEpoch);
                    using var zstd = new CompressionStream(stream, 3, bufferSize: 0, leaveOpen: true);
                    WriteRawTar(zstd, part);
                }
            });
        }
        else
        {
            Stem(outputPath, PackageFileName.TarBz2Extension);
            WriteAtomically(outputPath, file =>
            {
                using var bzip2 = BZip2Stream.Create(file, CompressionMode.Compress, decompressConcatenated: false, leaveOpen: true, tolerateTruncatedStream: false);
                WriteRawTar(bzip2, entries);
            });
        }
    }

    private static void WriteRawTar(Stream output, IEnumerable<ArchiveEntry> entries)
    {
        using var buffer = new MemoryStream();
        using (var tar = new System.Formats.Tar.TarWriter(buffer, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                var header = new System.Formats.Tar.PaxTarEntry(entry.Type, entry.Name) { Mode = entry.Mode };
                if (entry.LinkTarget is not null)
                {
                    header.LinkName = entry.LinkTarget;
                }

                if (entry.Content is not null)
                {
                    header.DataStream = new MemoryStream(entry.Content);
                }

                tar.WriteEntry(header);
            }
        }

        // An empty TarWriter writes nothing; a tar needs at least its end-of-archive blocks.
        output.Write(buffer.Length == 0 ? new byte[1024] : buffer.ToArray());
    }

    private static Stream Member(ZipArchive zip, string name, DateTimeOffset time)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        entry.LastWriteTime = time;
        return entry.Open();
    }

    private static void WriteZstdTar(Stream member, IEnumerable<PackageTreeEntry> entries, DateTimeOffset mtime, int level)
    {
        var list = entries.ToList();
        using (member)
        using (var zstd = new CompressionStream(member, level, bufferSize: 0, leaveOpen: true))
        {
            // Without a size hint zstd sizes its tables for an unbounded stream (8 MB windows at level 19), which
            // costs far more than compressing a small package; the hint only shrinks them, and is itself deterministic.
            zstd.SetParameter(ZSTD_cParameter.ZSTD_c_experimentalParam7 /* ZSTD_c_srcSizeHint */, SizeHint(list));
            DeterministicTar.Write(zstd, list, mtime);
        }
    }

    /// <summary>About the tar's size: the file contents plus a header block and padding per entry.</summary>
    private static int SizeHint(List<PackageTreeEntry> entries)
    {
        long total = 1024;
        foreach (var entry in entries)
        {
            total += 1024 + (entry.Type == System.Formats.Tar.TarEntryType.RegularFile ? new FileInfo(entry.FullPath).Length : 0);
        }

        return (int)Math.Min(total, int.MaxValue);
    }

    private static void WriteAtomically(string outputPath, Action<FileStream> write)
    {
        var partial = outputPath + ".partial";
        var directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(directory);
        try
        {
            using (var file = new FileStream(partial, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(partial, outputPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }
        }
    }

    private static string Stem(string outputPath, string extension)
    {
        var name = Path.GetFileName(outputPath);
        if (!name.EndsWith(extension, StringComparison.Ordinal) || name.Length == extension.Length)
        {
            throw new ArgumentException($"{outputPath} must be named <name>-<version>-<build>{extension}", nameof(outputPath));
        }

        return name[..^extension.Length];
    }

    /// <summary>
    /// The instant every entry is stamped with: index.json's <c>timestamp</c> (milliseconds since the epoch; very old
    /// packages used seconds), else the epoch itself, so nothing depends on when or where the archive was made.
    /// </summary>
    private static DateTimeOffset Timestamp(string packageDirectory)
    {
        try
        {
            using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(packageDirectory, "info", "index.json")));
            if (index.RootElement.ValueKind == JsonValueKind.Object
                && index.RootElement.TryGetProperty("timestamp", out var value)
                && value.TryGetInt64(out var timestamp) && timestamp > 0)
            {
                var seconds = timestamp > 100_000_000_000 ? timestamp / 1000 : timestamp;
                return DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 8_589_934_591)); // the largest 11-digit octal
            }
        }
        catch (JsonException e)
        {
            throw new PackageLayoutException(packageDirectory, "info/index.json", $"is not valid JSON ({e.Message})");
        }

        return DateTimeOffset.UnixEpoch;
    }
}
