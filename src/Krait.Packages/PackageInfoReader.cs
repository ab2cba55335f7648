using System.Formats.Tar;
using System.IO.Compression;
using Krait.Conda.Records;
using Krait.Packages.Bzip2;
using ZstdSharp;

namespace Krait.Packages;

/// <summary>
/// Reads chosen files of a package's <c>info/</c> folder (<c>info/index.json</c>, <c>about.json</c>,
/// <c>run_exports.json</c>, <c>paths.json</c>…) straight from the archive, without unpacking it: what a channel
/// indexer needs of every package. Of a <c>.conda</c> only the small <c>info-*.tar.zst</c> is decompressed; a
/// <c>.tar.bz2</c> is read until every wanted file has been seen. The archive is hostile: a wanted file must be a
/// regular file, each is bounded by <see cref="MaxMemberBytes"/>, and all that is decompressed by the package's
/// <see cref="ExtractionLimits"/>; anything else is a <see cref="HostileArchiveException"/> naming the archive.
/// <see cref="ReadPayload"/> reads files of the payload the same way (a repodata patch package's instructions).
/// </summary>
public static class PackageInfoReader
{
    /// <summary>The largest <c>info/</c> file read into memory (a paths.json of a huge package is tens of megabytes).</summary>
    public const int MaxMemberBytes = 256 << 20;

    /// <summary>The wanted files (paths such as <c>info/index.json</c>) that the archive has, with their bytes.</summary>
    public static Dictionary<string, byte[]> Read(string archivePath, IReadOnlySet<string> wanted, ExtractionLimits? limits = null) =>
        Read(archivePath, wanted, "info-", limits);

    /// <summary>The wanted files of the package's payload (paths such as <c>linux-64/patch_instructions.json</c>), with their bytes.</summary>
    public static Dictionary<string, byte[]> ReadPayload(string archivePath, IReadOnlySet<string> wanted, ExtractionLimits? limits = null) =>
        Read(archivePath, wanted, "pkg-", limits);

    private static Dictionary<string, byte[]> Read(string archivePath, IReadOnlySet<string> wanted, string condaPart, ExtractionLimits? limits)
    {
        ArgumentNullException.ThrowIfNull(archivePath);
        ArgumentNullException.ThrowIfNull(wanted);
        limits ??= ExtractionLimits.Default;
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            var budget = new ExtractionBudget(archivePath, limits, new FileInfo(archivePath).Length);
            if (archivePath.EndsWith(PackageFileName.CondaExtension, StringComparison.OrdinalIgnoreCase))
            {
                using var zip = ZipFile.OpenRead(archivePath);
                var part = zip.Entries.FirstOrDefault(e => e.FullName.StartsWith(condaPart, StringComparison.Ordinal) && e.FullName.EndsWith(".tar.zst", StringComparison.Ordinal))
                    ?? throw new HostileArchiveException(archivePath, null, $"has no {condaPart}*.tar.zst inside (not a .conda package)");
                using var compressed = part.Open();
                using var zstd = new DecompressionStream(compressed, bufferSize: 0, checkEndOfStream: true, leaveOpen: false);
                ReadTar(archivePath, zstd, wanted, found, budget);
            }
            else if (archivePath.EndsWith(PackageFileName.TarBz2Extension, StringComparison.OrdinalIgnoreCase))
            {
                using var file = File.OpenRead(archivePath);
                using var bzip2 = Bzip2Decoder.Open(file);
                ReadTar(archivePath, bzip2, wanted, found, budget);
            }
            else
            {
                throw new HostileArchiveException(archivePath, null, "is neither a .conda nor a .tar.bz2 file");
            }
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or FormatException or EndOfStreamException or ZstdException
            or SharpCompress.Common.SharpCompressException or NotSupportedException or ArgumentException or OverflowException)
        {
            throw new HostileArchiveException(archivePath, null, $"is damaged or unsupported ({e.Message})", e);
        }

        return found;
    }

    private static void ReadTar(string archivePath, Stream decompressed, IReadOnlySet<string> wanted, Dictionary<string, byte[]> found, ExtractionBudget budget)
    {
        using var limited = new LimitedReadStream(decompressed, budget.Remaining, budget.Exceeded);
        using var tar = new TarReader(limited, leaveOpen: true);
        while (found.Count < wanted.Count && tar.GetNextEntry() is { } entry)
        {
            budget.CountEntry();
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (!wanted.Contains(name) || found.ContainsKey(name))
            {
                continue;
            }

            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
            {
                throw new HostileArchiveException(archivePath, entry.Name, $"is a {entry.EntryType} entry, not a regular file");
            }

            if (entry.Length > MaxMemberBytes)
            {
                throw new HostileArchiveException(archivePath, entry.Name, $"is {entry.Length} bytes, above the {MaxMemberBytes}-byte limit for package metadata");
            }

            var bytes = new byte[entry.Length];
            entry.DataStream?.ReadExactly(bytes);
            found[name] = bytes;
        }
    }
}
