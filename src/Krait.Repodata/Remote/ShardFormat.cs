using System.Buffers;
using Krait.Conda.Records;
using Krait.Repodata.Parsing;
using MessagePack;

namespace Krait.Repodata.Remote;

/// <summary>The index of a sharded subdir (CEP-16): where shards are, and the sha256 of each name's shard.</summary>
public sealed record ShardIndex(string? BaseUrl, string? ShardsBaseUrl, string? Subdir, IReadOnlyDictionary<string, string> Shards);

/// <summary>
/// Reads CEP-16's MessagePack documents with the low-level reader (no reflection): the shard index
/// (<c>{info: {base_url, shards_base_url, subdir}, shards: {name: sha256 bytes}}</c>) and one name's shard
/// (<c>{packages: {fn: record}, "packages.conda": {fn: record}, removed: [...]}</c>, hashes as bytes or hex).
/// Malformed input is an <see cref="InvalidDataException"/>.
/// </summary>
public static class ShardFormat
{
    public static ShardIndex ReadIndex(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            string? baseUrl = null, shardsBaseUrl = null, subdir = null;
            var shards = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var n = reader.ReadMapHeader(); n > 0; n--)
            {
                switch (reader.ReadString())
                {
                    case "info":
                        for (var m = reader.ReadMapHeader(); m > 0; m--)
                        {
                            switch (reader.ReadString())
                            {
                                case "base_url":
                                    baseUrl = ReadText(ref reader);
                                    break;
                                case "shards_base_url":
                                    shardsBaseUrl = ReadText(ref reader);
                                    break;
                                case "subdir":
                                    subdir = ReadText(ref reader);
                                    break;
                                default:
                                    reader.Skip();
                                    break;
                            }
                        }

                        break;
                    case "shards":
                        for (var m = reader.ReadMapHeader(); m > 0; m--)
                        {
                            var name = reader.ReadString() ?? throw new InvalidDataException("a shard without a name");
                            shards[name] = ReadHash(ref reader) ?? throw new InvalidDataException($"the shard of {name} has no hash");
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return new ShardIndex(Empty(baseUrl), Empty(shardsBaseUrl), subdir, shards);
        }
        catch (MessagePackSerializationException e)
        {
            throw new InvalidDataException($"the shard index is not valid MessagePack ({e.Message})", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the shard index is cut short", e);
        }
    }

    /// <summary>
    /// The records of one shard, stamped with <paramref name="origin"/> (channel and download base). A record whose
    /// identifying fields cannot name files safely (<see cref="PackageNaming"/>) or whose version conda cannot order
    /// is skipped (<see cref="RecordAdmission"/>), and said in <paramref name="warnings"/> (naming <paramref name="source"/>).
    /// Fields Krait does not model are kept, as JSON, like the repodata parser keeps them.
    /// </summary>
    public static IReadOnlyList<PackageRecord> ReadShard(ReadOnlyMemory<byte> bytes, RecordOrigin origin, string? baseUrl, string subdir, string source = "a shard", ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        try
        {
            var reader = new MessagePackReader(bytes);
            var tarBz2 = new List<PackageRecord>();
            var conda = new List<PackageRecord>();
            var builder = new PackageRecordBuilder { DefaultSubdir = subdir, Channel = origin.Channel, DownloadBaseUrl = origin.DownloadBaseFor(baseUrl) };
            for (var n = reader.ReadMapHeader(); n > 0; n--)
            {
                switch (reader.ReadString())
                {
                    case "packages":
                        ReadRecords(ref reader, tarBz2, builder, source, warnings);
                        break;
                    case "packages.conda":
                        ReadRecords(ref reader, conda, builder, source, warnings);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return RepoData.PreferConda(tarBz2, conda);
        }
        catch (MessagePackSerializationException e)
        {
            throw new InvalidDataException($"a shard is not valid MessagePack ({e.Message})", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("a shard is cut short", e);
        }
    }

    private static void ReadRecords(ref MessagePackReader reader, List<PackageRecord> into, PackageRecordBuilder builder, string source, ICollection<string>? warnings)
    {
        for (var n = reader.ReadMapHeader(); n > 0; n--)
        {
            var fileName = reader.ReadString() ?? throw new InvalidDataException("a record without a file name");
            var record = ReadRecord(ref reader, fileName, builder);
            if (builder.Note is { } note)
            {
                warnings?.Add($"{source}: the record '{PackageNaming.Shown(fileName)}': {note}");
            }

            if (RecordAdmission.Problem(record, builder.Problem) is { } problem)
            {
                warnings?.Add($"{source}: the record '{PackageNaming.Shown(fileName)}': {problem}; it is skipped");
            }
            else
            {
                into.Add(record);
            }
        }
    }

    private static PackageRecord ReadRecord(ref MessagePackReader reader, string fileName, PackageRecordBuilder builder)
    {
        builder.Reset();
        for (var n = reader.ReadMapHeader(); n > 0; n--)
        {
            if (reader.NextMessagePackType != MessagePackType.String)
            {
                throw new InvalidDataException($"{fileName}: a key that is not a string");
            }

            // A key in one piece (always, for a shard read into one buffer) is looked up without allocating.
            var keyText = reader.TryReadStringSpan(out var key) ? null : reader.ReadString()!;
            var found = keyText is null ? RecordFields.TryFind(key, out var field) : RecordFields.TryFind(keyText, out field);
            if (!found)
            {
                builder.AddExtra(keyText ?? System.Text.Encoding.UTF8.GetString(key), MessagePackJson.ToJson(ref reader));
                continue;
            }

            switch (RecordFields.Kind(field))
            {
                case RecordFieldKind.Text:
                    builder.SetText(field, ReadText(ref reader));
                    break;
                case RecordFieldKind.Hash:
                    builder.SetText(field, ReadHash(ref reader));
                    break;
                case RecordFieldKind.Integer:
                    builder.SetInteger(field, ReadInteger(ref reader));
                    break;
                case RecordFieldKind.TextList:
                    builder.SetList(field, ReadStrings(ref reader));
                    break;
                default:
                    builder.SetNoArch(ReadNoArch(ref reader));
                    break;
            }
        }

        if (builder.MissingIdentity is { } missing)
        {
            throw new InvalidDataException($"{fileName}: no {missing}");
        }

        return builder.Build(fileName);
    }

    private static string? ReadText(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadString();

    private static long? ReadInteger(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadInt64();

    private static string[]? ReadStrings(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var items = new string[reader.ReadArrayHeader()];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = reader.ReadString() ?? string.Empty;
        }

        return items;
    }

    /// <summary>A hash as raw bytes (the CEP's form) or already as hex text; returned as lower-case hex.</summary>
    private static string? ReadHash(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        if (reader.NextMessagePackType == MessagePackType.Binary)
        {
            var bytes = reader.ReadBytes();
            return bytes is { } sequence ? Convert.ToHexStringLower(sequence.ToArray()) : null;
        }

        return reader.ReadString()?.ToLowerInvariant();
    }

    private static NoArchType ReadNoArch(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return NoArchType.None;
            case MessagePackType.Boolean:
                return reader.ReadBoolean() ? NoArchType.Generic : NoArchType.None;
            default:
                return reader.ReadString() switch
                {
                    "python" => NoArchType.Python,
                    "generic" => NoArchType.Generic,
                    _ => NoArchType.None,
                };
        }
    }

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
