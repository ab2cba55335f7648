using System.Buffers;
using Krait.Files;
using MessagePack;

namespace Krait.Index;

/// <summary>
/// What the last run learnt of one subdir, kept in <c>DIR/.cache/SUBDIR.msgpack</c>: every archive's
/// <see cref="IndexedPackage"/> (so that only archives whose size or mtime changed are read again), the sha256 of
/// the patch instructions applied, and the hash of each name's shard (so that only touched shards are rebuilt).
/// A cache that cannot be read is ignored (everything is read again), never trusted in part.
/// </summary>
public sealed class IndexCache
{
    private const int FormatVersion = 1;

    public Dictionary<string, IndexedPackage> Packages { get; } = new(StringComparer.Ordinal);

    public byte[]? PatchesHash { get; set; }

    public Dictionary<string, byte[]> ShardHashes { get; } = new(StringComparer.Ordinal);

    public static string PathOf(string channelRoot, string subdir) => Path.Combine(channelRoot, ".cache", $"{subdir}.msgpack");

    public static IndexCache Load(string path)
    {
        var cache = new IndexCache();
        if (!File.Exists(path))
        {
            return cache;
        }

        try
        {
            var reader = new MessagePackReader(File.ReadAllBytes(path));
            if (reader.ReadArrayHeader() != 4 || reader.ReadInt32() != FormatVersion)
            {
                return new IndexCache();
            }

            cache.PatchesHash = reader.TryReadNil() ? null : reader.ReadBytes()!.Value.ToArray();
            for (var n = reader.ReadArrayHeader(); n > 0; n--)
            {
                if (reader.ReadArrayHeader() != 10)
                {
                    return new IndexCache();
                }

                var package = new IndexedPackage(
                    Text(ref reader),
                    reader.ReadInt64(),
                    reader.ReadInt64(),
                    Text(ref reader),
                    Text(ref reader),
                    reader.ReadInt64(),
                    Bytes(ref reader)!,
                    Bytes(ref reader),
                    Bytes(ref reader),
                    (PostInstall)reader.ReadInt32());
                cache.Packages[package.FileName] = package;
            }

            for (var n = reader.ReadMapHeader(); n > 0; n--)
            {
                cache.ShardHashes[Text(ref reader)] = Bytes(ref reader)!;
            }

            return cache;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or InvalidOperationException or InvalidDataException or OverflowException)
        {
            return new IndexCache();
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(4);
        writer.Write(FormatVersion);
        writer.Write(PatchesHash);
        writer.WriteArrayHeader(Packages.Count);
        foreach (var package in Packages.Values)
        {
            writer.WriteArrayHeader(10);
            writer.Write(package.FileName);
            writer.Write(package.Size);
            writer.Write(package.ModifiedTicks);
            writer.Write(package.Name);
            writer.Write(package.Version);
            writer.Write(package.Timestamp);
            writer.Write(package.Record);
            writer.Write(package.About);
            writer.Write(package.RunExports);
            writer.Write((int)package.PostInstall);
        }

        writer.WriteMapHeader(ShardHashes.Count);
        foreach (var (name, hash) in ShardHashes)
        {
            writer.Write(name);
            writer.Write(hash);
        }

        writer.Flush();
        AtomicFile.Write(path, buffer.WrittenSpan);
    }

    private static string Text(ref MessagePackReader reader) => reader.ReadString() ?? throw new InvalidDataException("a cache entry lacks a text field");

    private static byte[]? Bytes(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadBytes()!.Value.ToArray();
}
