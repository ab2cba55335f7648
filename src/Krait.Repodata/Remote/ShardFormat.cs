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
    /// is skipped, and said in <paramref name="warnings"/> (naming <paramref name="source"/>).
    /// </summary>
    public static IReadOnlyList<PackageRecord> ReadShard(ReadOnlyMemory<byte> bytes, RecordOrigin origin, string? baseUrl, string subdir, string source = "a shard", ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        try
        {
            var reader = new MessagePackReader(bytes);
            var tarBz2 = new List<PackageRecord>();
            var conda = new List<PackageRecord>();
            var downloadBase = origin.DownloadBaseFor(baseUrl);
            for (var n = reader.ReadMapHeader(); n > 0; n--)
            {
                switch (reader.ReadString())
                {
                    case "packages":
                        ReadRecords(ref reader, tarBz2, origin, downloadBase, subdir, source, warnings);
                        break;
                    case "packages.conda":
                        ReadRecords(ref reader, conda, origin, downloadBase, subdir, source, warnings);
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

    private static void ReadRecords(ref MessagePackReader reader, List<PackageRecord> into, RecordOrigin origin, string downloadBase, string subdir, string source, ICollection<string>? warnings)
    {
        for (var n = reader.ReadMapHeader(); n > 0; n--)
        {
            var fileName = reader.ReadString() ?? throw new InvalidDataException("a record without a file name");
            var record = ReadRecord(ref reader, fileName, origin, downloadBase, subdir);
            var problem = PackageNaming.Problem(record) ?? (Krait.Conda.Versions.Version.TryParse(record.Version, out _) ? null : $"its version '{record.Version}' is not a version conda can order");
            if (problem is null)
            {
                into.Add(record);
            }
            else
            {
                warnings?.Add($"{source}: the record '{PackageNaming.Shown(fileName)}': {problem}; it is skipped");
            }
        }
    }

    private static PackageRecord ReadRecord(ref MessagePackReader reader, string fileName, RecordOrigin origin, string downloadBase, string subdir)
    {
        string? name = null, version = null, build = null, md5 = null, sha256 = null, license = null, licenseFamily = null, recordSubdir = null;
        string? trackFeatures = null, features = null, platform = null, arch = null, sitePackages = null;
        long buildNumber = 0;
        long? size = null, timestamp = null;
        var noarch = NoArchType.None;
        IReadOnlyList<string> depends = [], constrains = [];
        for (var n = reader.ReadMapHeader(); n > 0; n--)
        {
            switch (reader.ReadString())
            {
                case "name": name = ReadText(ref reader); break;
                case "version": version = ReadText(ref reader); break;
                case "build": build = ReadText(ref reader); break;
                case "build_number": buildNumber = ReadInteger(ref reader) ?? 0; break;
                case "depends": depends = ReadStrings(ref reader); break;
                case "constrains": constrains = ReadStrings(ref reader); break;
                case "md5": md5 = ReadHash(ref reader); break;
                case "sha256": sha256 = ReadHash(ref reader); break;
                case "size": size = ReadInteger(ref reader); break;
                case "timestamp": timestamp = ReadInteger(ref reader); break;
                case "license": license = ReadText(ref reader); break;
                case "license_family": licenseFamily = ReadText(ref reader); break;
                case "subdir": recordSubdir = ReadText(ref reader); break;
                case "track_features": trackFeatures = ReadText(ref reader); break;
                case "features": features = ReadText(ref reader); break;
                case "platform": platform = ReadText(ref reader); break;
                case "arch": arch = ReadText(ref reader); break;
                case "python_site_packages_path": sitePackages = ReadText(ref reader); break;
                case "noarch": noarch = ReadNoArch(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        return new PackageRecord
        {
            Name = name ?? throw new InvalidDataException($"{fileName}: no name"),
            Version = version ?? throw new InvalidDataException($"{fileName}: no version"),
            Build = build ?? throw new InvalidDataException($"{fileName}: no build"),
            BuildNumber = buildNumber,
            FileName = fileName,
            Depends = depends,
            Constrains = constrains,
            Md5 = md5,
            Sha256 = sha256,
            Size = size,
            Timestamp = RecordTimestamps.ToMilliseconds(timestamp),
            License = license,
            LicenseFamily = licenseFamily,
            Subdir = recordSubdir ?? subdir,
            TrackFeatures = trackFeatures,
            Features = features,
            Platform = platform,
            Arch = arch,
            PythonSitePackagesPath = sitePackages,
            NoArch = noarch,
            Channel = origin.Channel,
            DownloadBaseUrl = downloadBase,
        };
    }

    private static string? ReadText(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadString();

    private static long? ReadInteger(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadInt64();

    private static string[] ReadStrings(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return [];
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
