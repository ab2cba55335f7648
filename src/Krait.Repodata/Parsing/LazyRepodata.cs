using System.Text;
using System.Text.Json;
using Krait.Conda.Records;

namespace Krait.Repodata.Parsing;

/// <summary>
/// A repodata file opened without parsing it: only the records of the names asked for are materialised.
/// Each name is found with a vectorised search for its quoted bytes; a hit counts only when it is the value
/// of a record's <c>"name"</c> key, and the record around it is then parsed on its own. When the file does not
/// look the way the fast path assumes, the whole file is parsed instead, so the answer is always the one the
/// full parser gives.
/// </summary>
public sealed class LazyRepodata : Query.ISubdirSource
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Added to the place of a <c>.tar.bz2</c> record: libmamba reads that section after <c>packages.conda</c>.</summary>
    private const long TarBz2Section = 1L << 40;

    private readonly MappedFile file;
    private readonly string source;
    private readonly string? defaultSubdir;
    private readonly RecordReader records;
    private RepoData? fullyParsed;
    private Dictionary<string, List<int>>? nameIndex;
    private readonly Utf8StringPool keyPool = new();

    private readonly RecordOrigin? origin;

    private LazyRepodata(MappedFile file, string source, string? defaultSubdir, RecordOrigin? origin)
    {
        this.file = file;
        this.source = source;
        this.defaultSubdir = defaultSubdir;
        this.origin = origin;
        records = new RecordReader(new Utf8StringPool(), source) { Channel = origin?.Channel };
        ReadHead();
        records.DownloadBaseUrl = origin?.DownloadBaseFor(BaseUrl);
    }

    public string? Subdir { get; private set; }

    /// <summary>The file read (what its name index cache is named after).</summary>
    public string Path => source;

    public string? BaseUrl { get; private set; }

    public int? RepodataVersion { get; private set; }

    /// <summary>What was skipped or doubted in the records read so far (each naming the file and the record).</summary>
    public IReadOnlyList<string> Warnings => fullyParsed is null ? records.Warnings : [.. records.Warnings, .. fullyParsed.Warnings];

    /// <summary>True once a name could not be served by the fast path and the whole file was parsed.</summary>
    public bool FellBackToFullParse => fullyParsed is not null;

    /// <param name="origin">Where the file was served from: stamps each record's channel and download URL.</param>
    public static LazyRepodata Open(string path, string? defaultSubdir = null, RecordOrigin? origin = null)
    {
        var file = MappedFile.Open(path);
        try
        {
            return new LazyRepodata(file, path, defaultSubdir, origin);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The records of the given names (both sections, in file order), as a <see cref="RepoData"/> subset.</summary>
    public RepoData Load(IEnumerable<string> names)
    {
        var tarBz2 = new List<PackageRecord>();
        var conda = new List<PackageRecord>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            foreach (var record in RecordsOf(name))
            {
                (PackageFileName.IsCondaFormat(record.FileName) ? conda : tarBz2).Add(record);
            }
        }

        return new RepoData
        {
            Warnings = Warnings,
            Subdir = Subdir,
            BaseUrl = BaseUrl,
            RepodataVersion = RepodataVersion,
            TarBz2Packages = tarBz2,
            CondaPackages = conda,
        };
    }

    /// <summary>
    /// The installable records of <paramref name="name"/> (<see cref="RepoData.PreferConda"/>), placed as libmamba
    /// numbers them: the <c>.conda</c> section first, then the <c>.tar.bz2</c> one, each by file offset (by position in
    /// its section once the whole file had to be parsed).
    /// </summary>
    public IReadOnlyList<Query.ListedRecord> InstallableRecordsOf(string name)
    {
        var placed = PlacedRecordsOf(name);
        var places = new Dictionary<PackageRecord, long>(placed.Count, ReferenceEqualityComparer.Instance);
        var tarBz2 = new List<PackageRecord>();
        var conda = new List<PackageRecord>();
        foreach (var (place, record) in placed)
        {
            var isConda = PackageFileName.IsCondaFormat(record.FileName);
            places[record] = isConda ? place : TarBz2Section + place;
            (isConda ? conda : tarBz2).Add(record);
        }

        var installable = RepoData.PreferConda(tarBz2, conda);
        var listed = new Query.ListedRecord[installable.Count];
        for (var i = 0; i < listed.Length; i++)
        {
            listed[i] = new Query.ListedRecord(installable[i], places[installable[i]]);
        }

        return listed;
    }

    public IReadOnlyCollection<string> Names
    {
        get
        {
            BuildNameIndex();
            return nameIndex is not null
                ? nameIndex.Keys
                : fullyParsed!.TarBz2Packages.Concat(fullyParsed.CondaPackages).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        }
    }

    /// <summary>Read from one thread: the file is indexed and parsed on demand.</summary>
    public bool FetchesPerName => false;

    /// <summary>Every record named <paramref name="name"/>, in file order.</summary>
    public IReadOnlyList<PackageRecord> RecordsOf(string name) => [.. PlacedRecordsOf(name).Select(p => p.Record)];

    /// <summary>Every record named <paramref name="name"/>, in file order, with its file offset (its index in its section after a full parse).</summary>
    private List<(long Place, PackageRecord Record)> PlacedRecordsOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (fullyParsed is not null)
        {
            return FromFullParse(name);
        }

        var found = new List<(long Start, PackageRecord Record)>();
        if (!TryFindRecords(name, found))
        {
            fullyParsed = RepodataParser.Parse(file.Span, source, defaultSubdir, origin);
            return FromFullParse(name);
        }

        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        var result = new List<(long, PackageRecord)>(found.Count);
        var positions = new Dictionary<string, int>(found.Count, StringComparer.Ordinal);
        foreach (var (start, record) in found)
        {
            // Two records under one file name: the later counts, as the full parse keeps it.
            if (positions.TryGetValue(record.FileName, out var earlier))
            {
                records.Warn(record.FileName, "is written twice in one section; the later record counts");
                result[earlier] = (result[earlier].Item1, record);
            }
            else
            {
                positions[record.FileName] = result.Count;
                result.Add((start, record));
            }
        }

        return result;
    }

    public void Dispose() => file.Dispose();

    private List<(long Place, PackageRecord Record)> FromFullParse(string name)
    {
        var result = new List<(long, PackageRecord)>();
        foreach (var section in (IReadOnlyList<PackageRecord>[])[fullyParsed!.TarBz2Packages, fullyParsed.CondaPackages])
        {
            for (var i = 0; i < section.Count; i++)
            {
                if (section[i].Name == name)
                {
                    result.Add((i, section[i]));
                }
            }
        }

        return result;
    }

    /// <summary>The fast path; false when an assumption failed and the caller must parse the whole file.</summary>
    private bool TryFindRecords(string name, List<(long Start, PackageRecord Record)> found)
    {
        if (name.Length == 0 || name.AsSpan().IndexOfAny("\"\\") >= 0)
        {
            return false;
        }

        var span = file.Span;
        if (nameIndex is not null)
        {
            if (nameIndex.TryGetValue(name, out var positions))
            {
                foreach (var position in positions)
                {
                    if (!TryReadRecordAt(span, name, position, found))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        var needle = Encoding.UTF8.GetBytes($"\"{name}\"");
        var offset = 0;
        while (true)
        {
            var hit = span[offset..].IndexOf(needle);
            if (hit < 0)
            {
                return true;
            }

            hit += offset;
            offset = hit + needle.Length;
            if (IsNameValue(span, hit) && !TryReadRecordAt(span, name, hit, found))
            {
                return false;
            }
        }
    }

    /// <summary>Parses the record whose <c>"name"</c> value starts at <paramref name="hit"/>; false when the layout is not the expected one.</summary>
    private bool TryReadRecordAt(ReadOnlySpan<byte> span, string name, int hit, List<(long Start, PackageRecord Record)> found)
    {
        var start = FindRecordStart(span, hit, out var fileName);
        if (start < 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(span[start..], isFinalBlock: true, new JsonReaderState(ReaderOptions));
        records.Next(ref reader, span[start..], start);
        var record = records.Read(ref reader, span[start..], fileName!, Subdir ?? defaultSubdir, start);
        if (record.Name != name || start + reader.BytesConsumed <= hit)
        {
            return false;
        }

        if (records.Admit(record))
        {
            found.Add((start, record));
        }

        return true;
    }

    /// <summary>True when the name index was read from its cache file instead of being built by a scan.</summary>
    public bool NameIndexWasCached { get; private set; }

    /// <summary>
    /// Indexes where every record's name is, in one vectorised pass over the file, so that loading many names costs
    /// one scan instead of one per name (the solver asks for dozens to hundreds of names). With
    /// <paramref name="cachePath"/>, the index is read from there when it belongs to this very file, and stored there
    /// after a scan (<see cref="NameIndexFile"/>).
    /// </summary>
    public void BuildNameIndex(string? cachePath = null)
    {
        if (nameIndex is not null || fullyParsed is not null)
        {
            return;
        }

        var stamp = cachePath is null ? null : NameIndexFile.StampOf(file.Span, file.LastWriteUtc);
        if (cachePath is not null && NameIndexFile.TryRead(cachePath, stamp!, file.Span.Length, keyPool) is { } cached)
        {
            nameIndex = cached;
            NameIndexWasCached = true;
            return;
        }

        nameIndex = ScanNames();
        if (cachePath is not null)
        {
            NameIndexFile.Write(cachePath, stamp!, nameIndex);
        }
    }

    private Dictionary<string, List<int>> ScanNames()
    {
        var span = file.Span;
        var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var key = "\"name\""u8;
        var offset = 0;
        while (true)
        {
            var hit = span[offset..].IndexOf(key);
            if (hit < 0)
            {
                break;
            }

            hit += offset;
            offset = hit + key.Length;
            var colon = offset + span[offset..].IndexOfAnyExcept(" \t\r\n"u8);
            if (colon < offset || span[colon] != (byte)':')
            {
                continue;
            }

            var quote = colon + 1 + span[(colon + 1)..].IndexOfAnyExcept(" \t\r\n"u8);
            if (quote <= colon || span[quote] != (byte)'"')
            {
                continue;
            }

            var end = span[(quote + 1)..].IndexOfAny((byte)'"', (byte)'\\');
            if (end < 0 || span[quote + 1 + end] != (byte)'"')
            {
                continue;
            }

            var value = keyPool.Get(span.Slice(quote + 1, end));
            if (!index.TryGetValue(value, out var positions))
            {
                positions = [];
                index[value] = positions;
            }

            positions.Add(quote);
            offset = quote + 1 + end;
        }

        return index;
    }

    /// <summary>True when the quoted string at <paramref name="hit"/> is the value of a <c>"name"</c> key.</summary>
    private static bool IsNameValue(ReadOnlySpan<byte> span, int hit)
    {
        var i = SkipWhitespaceBackward(span, hit - 1);
        if (i < 0 || span[i] != (byte)':')
        {
            return false;
        }

        i = SkipWhitespaceBackward(span, i - 1);
        return i >= 5 && span[(i - 5)..(i + 1)].SequenceEqual("\"name\""u8);
    }

    /// <summary>
    /// Walks back from a record's "name" key to the record's opening brace, skipping nested lists and objects,
    /// and reads the file-name key in front of it. Returns -1 when the shape is not the expected one.
    /// </summary>
    private static int FindRecordStart(ReadOnlySpan<byte> span, int hit, out string? fileName)
    {
        fileName = null;
        var depth = 0;
        var inString = false;
        for (var i = hit - 1; i >= 0; i--)
        {
            var b = span[i];
            if (b == (byte)'"' && (i == 0 || span[i - 1] != (byte)'\\'))
            {
                inString = !inString;
                continue;
            }

            if (inString)
            {
                continue;
            }

            if (b is (byte)']' or (byte)'}')
            {
                depth++;
            }
            else if (b is (byte)'[' or (byte)'{')
            {
                if (depth > 0)
                {
                    depth--;
                    continue;
                }

                if (b != (byte)'{')
                {
                    return -1;
                }

                return ReadFileNameKey(span, i, out fileName) ? i : -1;
            }
        }

        return -1;
    }

    private static bool ReadFileNameKey(ReadOnlySpan<byte> span, int brace, out string? fileName)
    {
        fileName = null;
        var colon = SkipWhitespaceBackward(span, brace - 1);
        if (colon < 0 || span[colon] != (byte)':')
        {
            return false;
        }

        var close = SkipWhitespaceBackward(span, colon - 1);
        if (close < 1 || span[close] != (byte)'"')
        {
            return false;
        }

        var open = span[..close].LastIndexOf((byte)'"');
        if (open < 0 || span[(open + 1)..close].IndexOf((byte)'\\') >= 0 || !System.Text.Unicode.Utf8.IsValid(span[(open + 1)..close]))
        {
            // Escapes or bytes that are not UTF-8: the full parse reads (or refuses) it properly.
            return false;
        }

        var key = Utf8StringPool.Decode(span[(open + 1)..close]);
        if (!key.EndsWith(PackageFileName.CondaExtension, StringComparison.Ordinal) && !key.EndsWith(PackageFileName.TarBz2Extension, StringComparison.Ordinal))
        {
            return false;
        }

        fileName = key;
        return true;
    }

    private static int SkipWhitespaceBackward(ReadOnlySpan<byte> span, int i)
    {
        while (i >= 0 && span[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i--;
        }

        return i;
    }

    /// <summary>
    /// conda writes keys sorted, so <c>repodata_version</c> usually ends the file after the package sections: read it
    /// from the end. Elsewhere it stays unknown in lazy mode (it is informational).
    /// </summary>
    private static int? FindTrailingRepodataVersion(ReadOnlySpan<byte> span)
    {
        var key = span.LastIndexOf("\"repodata_version\""u8);
        if (key < 0)
        {
            return null;
        }

        var rest = span[(key + 18)..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)':')
        {
            return null;
        }

        rest = rest[1..].TrimStart(" \t\r\n"u8);
        var digits = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (digits <= 0)
        {
            return null;
        }

        // Only the document's last key counts: the same name nested in another object must not be taken for it.
        var after = rest[digits..].Trim(" \t\r\n"u8);
        if (after.Length != 1 || after[0] != (byte)'}')
        {
            return null;
        }

        return int.TryParse(Encoding.ASCII.GetString(rest[..digits]), System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : null;
    }

    /// <summary>Some channels write <c>info</c> after the packages: take the last <c>"info"</c> key if a whole object follows it.</summary>
    private void ReadTrailingInfo(ReadOnlySpan<byte> span)
    {
        var key = span.LastIndexOf("\"info\""u8);
        if (key < 0)
        {
            return;
        }

        var rest = span[(key + 6)..];
        var colon = rest.IndexOfAnyExcept(" \t\r\n"u8);
        if (colon < 0 || rest[colon] != (byte)':')
        {
            return;
        }

        var objectStart = key + 6 + colon + 1;
        var reader = new Utf8JsonReader(span[objectStart..], isFinalBlock: true, new JsonReaderState(ReaderOptions));
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            var (subdir, baseUrl, _) = RepodataParser.ReadInfo(ref reader, span[objectStart..], records);
            var after = span[(objectStart + (int)reader.BytesConsumed)..].TrimStart(" \t\r\n"u8);
            if (!after.IsEmpty && after[0] is (byte)'}' or (byte)',')
            {
                (Subdir, BaseUrl) = (subdir, baseUrl);
            }
        }
        catch (Exception e) when (e is JsonException or RepodataFormatException)
        {
            // Not a top-level info object after all; the subdir stays the one the caller gave.
        }
    }

    /// <summary>Reads the top-level keys in front of the first package section (conda writes <c>info</c> first).</summary>
    private void ReadHead()
    {
        var span = file.Span;

        // The whole file is never read here, but its end is cheap to check: a document that is not the last thing in it is damaged.
        var end = span.LastIndexOfAnyExcept(" \t\r\n"u8);
        if (end >= 0 && span[end] != (byte)'}')
        {
            throw new RepodataFormatException(source, end, "there is more after the end of the JSON document (a damaged or concatenated file?)");
        }

        var reader = new Utf8JsonReader(span, ReaderOptions);
        records.Next(ref reader, span, 0);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw records.Error(ref reader, 0, "repodata must be a JSON object");
        }

        while (true)
        {
            records.Next(ref reader, span, 0);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var key = records.Key(ref reader, 0);
            if (key is "packages" or "packages.conda")
            {
                RepodataVersion ??= FindTrailingRepodataVersion(span);
                if (Subdir is null && BaseUrl is null)
                {
                    ReadTrailingInfo(span);
                }

                return;
            }

            records.Next(ref reader, span, 0);
            if (key == "info")
            {
                (Subdir, BaseUrl, _) = RepodataParser.ReadInfo(ref reader, span, records);
            }
            else if (key == "repodata_version" && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var version))
            {
                RepodataVersion = version;
            }
            else
            {
                records.CaptureRaw(ref reader, span, 0);
            }
        }
    }
}
