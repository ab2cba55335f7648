using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Krait.Repodata.Parsing;

/// <summary>
/// A repodata file's name index (<see cref="LazyRepodata.BuildNameIndex"/>) kept on disk, so that the next command
/// on an unchanged file skips the scan (a third of a second on conda-forge's 300 MB linux-64), as libmamba keeps a
/// <c>.solv</c> file beside its repodata cache. It belongs to one exact file: its length, its modification time and a
/// hash of its first and last 64 KiB. Anything else — another file, a damaged or hostile index — reads as no index,
/// and positions are checked again when a record is read (a position that is not a record of that name makes the
/// reader parse the whole file).
/// </summary>
internal static class NameIndexFile
{
    private const int SampleBytes = 64 * 1024;
    private const int MaxNameBytes = 1024;
    private static readonly byte[] Magic = "KRNAMES1"u8.ToArray();

    /// <summary>What the index belongs to, taken from the open file itself (not from its path, which may have been replaced since).</summary>
    public static byte[] StampOf(ReadOnlySpan<byte> file, DateTime lastWriteUtc)
    {
        var stamp = new byte[8 + 8 + 32];
        BinaryPrimitives.WriteInt64LittleEndian(stamp, file.Length);
        BinaryPrimitives.WriteInt64LittleEndian(stamp.AsSpan(8), lastWriteUtc.Ticks);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(file[..Math.Min(SampleBytes, file.Length)]);
        hash.AppendData(file[Math.Max(0, file.Length - SampleBytes)..]);
        hash.GetHashAndReset(stamp.AsSpan(16));
        return stamp;
    }

    /// <summary>The index stored at <paramref name="path"/> for the file with <paramref name="stamp"/>, or null.</summary>
    public static Dictionary<string, List<int>>? TryRead(string path, byte[] stamp, int fileLength, Utf8StringPool names)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        try
        {
            return Parse(bytes, stamp, fileLength, names);
        }
        catch (Exception e) when (e is ArgumentException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="index"/> at <paramref name="path"/>, written aside and renamed into place; a cache that cannot be written is left alone.</summary>
    public static void Write(string path, byte[] stamp, Dictionary<string, List<int>> index)
    {
        var size = Magic.Length + stamp.Length + 4;
        foreach (var (name, positions) in index)
        {
            size += 2 + Encoding.UTF8.GetByteCount(name) + 4 + (4 * positions.Count);
        }

        var bytes = new byte[size];
        var at = 0;
        Magic.CopyTo(bytes, at);
        at += Magic.Length;
        stamp.CopyTo(bytes, at);
        at += stamp.Length;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), index.Count);
        at += 4;
        foreach (var (name, positions) in index)
        {
            var length = Encoding.UTF8.GetBytes(name, bytes.AsSpan(at + 2));
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)length);
            at += 2 + length;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), positions.Count);
            at += 4;
            foreach (var position in positions)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), position);
                at += 4;
            }
        }

        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // nothing more to do: the cache is only an optimisation
            }
        }
    }

    private static Dictionary<string, List<int>>? Parse(ReadOnlySpan<byte> bytes, byte[] stamp, int fileLength, Utf8StringPool names)
    {
        if (bytes.Length < Magic.Length + stamp.Length + 4 || !bytes[..Magic.Length].SequenceEqual(Magic) || !bytes.Slice(Magic.Length, stamp.Length).SequenceEqual(stamp))
        {
            return null;
        }

        var at = Magic.Length + stamp.Length;
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
        at += 4;
        if (count < 0 || count > fileLength)
        {
            return null;
        }

        var index = new Dictionary<string, List<int>>(count, StringComparer.Ordinal);
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]);
            at += 2;
            if (nameLength is 0 or > MaxNameBytes || bytes.Length - at < nameLength + 4)
            {
                return null;
            }

            var name = names.Get(bytes.Slice(at, nameLength));
            at += nameLength;
            var positionCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
            at += 4;
            total += positionCount;
            if (positionCount <= 0 || total > fileLength || (bytes.Length - at) / 4 < positionCount || index.ContainsKey(name))
            {
                return null;
            }

            var positions = new List<int>(positionCount);
            var previous = -1;
            for (var j = 0; j < positionCount; j++, at += 4)
            {
                var position = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
                if (position <= previous || position >= fileLength)
                {
                    return null;
                }

                positions.Add(position);
                previous = position;
            }

            index[name] = positions;
        }

        return at == bytes.Length ? index : null;
    }
}
