using System.Formats.Tar;

namespace Krait.Packages;

/// <summary>
/// Writes package entries as a tar stream whose bytes depend only on the entries: one fixed mtime, uid/gid 0 and no
/// user or group names. GNU format keeps headers small and still allows long paths and link targets.
/// </summary>
internal static class DeterministicTar
{
    /// <summary>The end-of-archive marker: two zero blocks.</summary>
    private const int EndOfArchive = 2 * 512;

    public static void Write(Stream output, IEnumerable<PackageTreeEntry> entries, DateTimeOffset mtime)
    {
        var written = WriteEntries(output, entries, mtime);
        if (written == 0)
        {
            // TarWriter writes nothing at all for no entries, and an empty stream is not a tar: an info-only
            // package's pkg-*.tar.zst must still be a valid, empty archive.
            output.Write(new byte[EndOfArchive]);
        }
    }

    private static int WriteEntries(Stream output, IEnumerable<PackageTreeEntry> entries, DateTimeOffset mtime)
    {
        var written = 0;
        using var tar = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        foreach (var entry in entries)
        {
            written++;
            var name = entry.Type == TarEntryType.Directory ? entry.RelativePath + "/" : entry.RelativePath;
            var header = new GnuTarEntry(entry.Type, name)
            {
                ModificationTime = mtime,
                // Left unset, these would be whatever the runtime picks; pin them to the same instant.
                AccessTime = mtime,
                ChangeTime = mtime,
                Mode = entry.Mode,
                Uid = 0,
                Gid = 0,
                UserName = string.Empty,
                GroupName = string.Empty,
            };
            if (entry.LinkTarget is { } target)
            {
                header.LinkName = target;
            }

            if (entry.Type == TarEntryType.RegularFile)
            {
                using var content = new FileStream(entry.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                header.DataStream = content;
                tar.WriteEntry(header);
            }
            else
            {
                tar.WriteEntry(header);
            }
        }

        return written;
    }
}
