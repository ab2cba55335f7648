using System.Formats.Tar;

namespace Krait.Packages;

/// <summary>
/// Writes package entries as a tar stream whose bytes depend only on the entries: one fixed mtime, uid/gid 0 and no
/// user or group names. Entries are plain ustar, and POSIX pax (with every time pinned) only where a path or link
/// target is too long or not ASCII. Not GNU format: its atime/ctime fields sit where ustar keeps the name prefix, and
/// Python's tarfile (so conda-package-handling) reads them as one, putting every file under a folder named after
/// the timestamp.
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
        using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in entries)
        {
            written++;
            var name = entry.Type == TarEntryType.Directory ? entry.RelativePath + "/" : entry.RelativePath;
            var header = Header(entry, name, mtime);
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

    private static PosixTarEntry Header(PackageTreeEntry entry, string name, DateTimeOffset mtime)
    {
        PosixTarEntry header;
        if (IsShortAscii(name) && (entry.LinkTarget is null || IsShortAscii(entry.LinkTarget)))
        {
            header = new UstarTarEntry(entry.Type, name);
        }
        else
        {
            var seconds = mtime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["path"] = name,
                ["mtime"] = seconds,
                ["atime"] = seconds,
                ["ctime"] = seconds,
            };
            if (entry.LinkTarget is { } target)
            {
                attributes["linkpath"] = target;
            }

            header = new PaxTarEntry(entry.Type, name, attributes);
        }

        header.ModificationTime = mtime;
        header.Mode = entry.Mode;
        header.Uid = 0;
        header.Gid = 0;
        header.UserName = string.Empty;
        header.GroupName = string.Empty;
        return header;
    }

    private static bool IsShortAscii(string text) => text.Length <= 100 && System.Text.Ascii.IsValid(text);
}
