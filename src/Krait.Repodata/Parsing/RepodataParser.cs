using System.Text.Json;
using Krait.Conda.Records;

namespace Krait.Repodata.Parsing;

/// <summary>
/// Parses a whole <c>repodata.json</c> into a <see cref="RepoData"/> in one forward pass over the UTF-8 bytes.
/// Hand-written over <see cref="Utf8JsonReader"/> rather than <see cref="JsonSerializer"/>: the benchmark in
/// <c>bench/</c> measures it against the serializer on the same files.
/// </summary>
public static class RepodataParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>Reads and parses a repodata file; <paramref name="defaultSubdir"/> fills records that name none.</summary>
    public static RepoData ParseFile(string path, string? defaultSubdir = null, RecordOrigin? origin = null)
    {
        using var mapped = MappedFile.Open(path);
        return Parse(mapped.Span, path, defaultSubdir, origin);
    }

    /// <summary>Parses repodata from UTF-8 bytes; <paramref name="source"/> names the input in error messages.</summary>
    /// <param name="origin">Where the file was served from: stamps each record's channel and download URL.</param>
    public static RepoData Parse(ReadOnlySpan<byte> json, string source, string? defaultSubdir = null, RecordOrigin? origin = null)
    {
        var records = new RecordReader(new Utf8StringPool(), source)
        {
            Channel = origin?.Channel,
            DownloadBaseUrl = origin?.SubdirUrl,
        };
        var reader = new Utf8JsonReader(json, ReaderOptions);
        records.Next(ref reader, json, 0);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw records.Error(ref reader, 0, "repodata must be a JSON object");
        }

        string? subdir = null, baseUrl = null;
        int? repodataVersion = null;
        List<PackageRecord> tarBz2 = [], conda = [];
        var sections = new HashSet<string>(StringComparer.Ordinal);
        List<string> removed = [];
        List<KeyValuePair<string, byte[]>>? extraInfo = null, extra = null;

        while (true)
        {
            records.Next(ref reader, json, 0);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var key = records.Key(ref reader, 0);
            records.Next(ref reader, json, 0);
            if (!sections.Add(key))
            {
                // As Python's json module reads it: the later one counts.
                records.Note($"the top-level key \"{key}\" is written twice; the later one counts");
                (key == "packages" ? tarBz2 : key == "packages.conda" ? conda : null)?.Clear();
            }

            switch (key)
            {
                case "info":
                    (subdir, baseUrl, extraInfo) = ReadInfo(ref reader, json, records);
                    records.DownloadBaseUrl = origin?.DownloadBaseFor(baseUrl);
                    break;
                case "packages":
                    ReadSection(ref reader, json, records, subdir ?? defaultSubdir, tarBz2);
                    break;
                case "packages.conda":
                    ReadSection(ref reader, json, records, subdir ?? defaultSubdir, conda);
                    break;
                case "removed":
                    ReadRemoved(ref reader, json, records, removed);
                    break;
                case "repodata_version" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number):
                    repodataVersion = number;
                    break;
                case "repodata_version":
                    throw records.Error(ref reader, 0, "repodata_version must be a whole number");
                default:
                    (extra ??= []).Add(new(key, records.CaptureRaw(ref reader, json, 0)));
                    break;
            }
        }

        EnsureNothingFollows(ref reader, json, records);
        return new RepoData
        {
            Warnings = records.Warnings,
            Subdir = subdir ?? defaultSubdir,
            BaseUrl = baseUrl,
            RepodataVersion = repodataVersion,
            TarBz2Packages = tarBz2,
            CondaPackages = conda,
            Removed = removed,
            ExtraInfoFields = extraInfo,
            ExtraFields = extra,
        };
    }

    internal static (string? Subdir, string? BaseUrl, List<KeyValuePair<string, byte[]>>? Extra) ReadInfo(
        ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RecordReader records)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw records.Error(ref reader, 0, "info must be an object");
        }

        string? subdir = null, baseUrl = null;
        List<KeyValuePair<string, byte[]>>? extra = null;
        while (true)
        {
            records.Next(ref reader, json, 0);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return (subdir, baseUrl, extra);
            }

            var key = records.Key(ref reader, 0);
            records.Next(ref reader, json, 0);
            if (key is "subdir" or "base_url" && reader.TokenType == JsonTokenType.String)
            {
                var value = records.DecodeString(ref reader, 0, intern: false);
                if (key == "subdir")
                {
                    subdir = value;
                }
                else
                {
                    baseUrl = value;
                }
            }
            else
            {
                (extra ??= []).Add(new(key, records.CaptureRaw(ref reader, json, 0)));
            }
        }
    }

    private static void ReadSection(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RecordReader records, string? subdir, List<PackageRecord> into)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw records.Error(ref reader, 0, "packages must be an object mapping file names to records");
        }

        // Python's json module (so conda) keeps the later of two equal keys; so does Krait, and says so. Indexers write
        // the keys sorted, and while each key sorts after the one before no key can repeat: only a file out of order
        // pays for a table of the keys seen.
        string? previous = null;
        Dictionary<string, int>? positions = null;
        while (true)
        {
            records.Next(ref reader, json, 0);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var fileName = records.DecodeString(ref reader, 0, intern: false);
            records.Next(ref reader, json, 0);
            var record = records.Read(ref reader, json, fileName, subdir, 0);
            if (!records.Admit(record))
            {
                continue;
            }

            if (positions is null && (previous is null || string.CompareOrdinal(fileName, previous) > 0))
            {
                previous = fileName;
                into.Add(record);
                continue;
            }

            positions ??= Positions(into);
            if (positions.TryGetValue(fileName, out var earlier))
            {
                records.Warn(fileName, "is written twice in one section; the later record counts");
                into[earlier] = record;
                continue;
            }

            positions[fileName] = into.Count;
            into.Add(record);
        }
    }

    private static Dictionary<string, int> Positions(List<PackageRecord> records)
    {
        var positions = new Dictionary<string, int>(records.Count * 2, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            positions[records[i].FileName] = i;
        }

        return positions;
    }

    /// <summary>Only white space may follow the document: conda and rattler both refuse a file with more after it.</summary>
    private static void EnsureNothingFollows(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RecordReader records)
    {
        var rest = json[(int)reader.BytesConsumed..];
        var junk = rest.IndexOfAnyExcept(" \t\r\n"u8);
        if (junk >= 0)
        {
            throw new RepodataFormatException(records.Source, reader.BytesConsumed + junk, "there is more after the end of the JSON document (a damaged or concatenated file?)");
        }
    }

    private static void ReadRemoved(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, RecordReader records, List<string> removed)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw records.Error(ref reader, 0, "removed must be a list of file names");
        }

        while (true)
        {
            records.Next(ref reader, json, 0);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                throw records.Error(ref reader, 0, "removed must be a list of file names");
            }

            removed.Add(records.DecodeString(ref reader, 0, intern: false));
        }
    }
}
