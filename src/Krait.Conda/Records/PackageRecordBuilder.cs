namespace Krait.Conda.Records;

/// <summary>
/// Collects one record's fields as a reader meets them, in any format, and makes the <see cref="PackageRecord"/>.
/// The rules every format shares live here: timestamps become milliseconds, a field written twice or a negative size
/// makes the record doubtful (<see cref="Problem"/>), an impossible date is dropped (<see cref="Note"/>).
/// One builder is reused record after record (<see cref="Reset"/>); it is not thread-safe.
/// </summary>
public sealed class PackageRecordBuilder
{
    private readonly string?[] texts = new string?[RecordFields.Count];
    private readonly long?[] integers = new long?[RecordFields.Count];
    private readonly IReadOnlyList<string>?[] lists = new IReadOnlyList<string>?[RecordFields.Count];
    private NoArchType noarch;
    private int seen;
    private int duplicated;
    private List<KeyValuePair<string, byte[]>>? extraFields;

    /// <summary>The subdir a record without its own <c>subdir</c> gets (the one it was read from). Kept across records.</summary>
    public string? DefaultSubdir { get; set; }

    /// <summary>The channel stamped on each record. Kept across records.</summary>
    public string? Channel { get; set; }

    /// <summary>The URL the package files live under, stamped on each record. Kept across records.</summary>
    public string? DownloadBaseUrl { get; set; }

    /// <summary>The record's own <c>url</c>, for formats that carry one (conda-meta, repodata_record.json).</summary>
    public string? Url { get; set; }

    /// <summary>What made the record doubtful (a field written twice, a negative size or build number), or null.</summary>
    public string? Problem
    {
        get
        {
            if (duplicated != 0)
            {
                return $"\"{RecordFields.Key((RecordField)System.Numerics.BitOperations.TrailingZeroCount(duplicated))}\" is written twice (readers disagree on which one counts)";
            }

            return integers[(int)RecordField.Size] is < 0 and var size ? $"its size is {size}"
                : integers[(int)RecordField.BuildNumber] is < 0 and var number ? $"its build_number is {number}"
                : null;
        }
    }

    /// <summary>What was dropped from the record without doubting it (a timestamp that is no date), or null.</summary>
    public string? Note { get; private set; }

    /// <summary>The first of <c>name</c>, <c>version</c>, <c>build</c> the record lacks, or null when it has all three.</summary>
    public string? MissingIdentity =>
        texts[(int)RecordField.Name] is null ? "name"
        : texts[(int)RecordField.Version] is null ? "version"
        : texts[(int)RecordField.Build] is null ? "build"
        : null;

    /// <summary>Forgets the last record's fields (not the stamps: <see cref="DefaultSubdir"/>, <see cref="Channel"/>, <see cref="DownloadBaseUrl"/>).</summary>
    public void Reset()
    {
        Array.Clear(texts);
        Array.Clear(integers);
        Array.Clear(lists);
        noarch = NoArchType.None;
        seen = duplicated = 0;
        extraFields = null;
        Url = null;
        Note = null;
    }

    /// <summary>Starts from every field of <paramref name="record"/> (to complete it from another source).</summary>
    public void Load(PackageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Reset();
        foreach (var field in RecordFields.All)
        {
            switch (RecordFields.Kind(field))
            {
                case RecordFieldKind.Text or RecordFieldKind.Hash:
                    texts[(int)field] = RecordFields.Text(record, field);
                    break;
                case RecordFieldKind.Integer:
                    integers[(int)field] = RecordFields.Integer(record, field);
                    break;
                case RecordFieldKind.TextList:
                    lists[(int)field] = RecordFields.List(record, field);
                    break;
                default:
                    noarch = record.NoArch;
                    break;
            }
        }

        extraFields = record.ExtraFields is { } extras ? [.. extras] : null;
        Url = record.Url;
        Channel = record.Channel;
        DownloadBaseUrl = record.DownloadBaseUrl;
    }

    /// <summary>Takes each field the record lacks (<see cref="Has"/>) and each unmodelled key it lacks from <paramref name="other"/>.</summary>
    public void Complete(PackageRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var field in RecordFields.All)
        {
            if (Has(field))
            {
                continue;
            }

            switch (RecordFields.Kind(field))
            {
                case RecordFieldKind.Text or RecordFieldKind.Hash:
                    texts[(int)field] = RecordFields.Text(other, field) ?? texts[(int)field];
                    break;
                case RecordFieldKind.Integer:
                    integers[(int)field] = RecordFields.Integer(other, field) ?? integers[(int)field];
                    break;
                case RecordFieldKind.TextList:
                    lists[(int)field] = RecordFields.List(other, field) ?? lists[(int)field];
                    break;
                default:
                    noarch = other.NoArch;
                    break;
            }
        }

        foreach (var (key, raw) in other.ExtraFields ?? [])
        {
            if (!HasExtra(key))
            {
                AddExtra(key, raw);
            }
        }
    }

    public void SetText(RecordField field, string? value)
    {
        MarkSet(field);
        texts[(int)field] = value;
    }

    public void SetInteger(RecordField field, long? value)
    {
        MarkSet(field);
        if (field == RecordField.Timestamp)
        {
            value = RecordTimestamps.ToMilliseconds(value);
            if (value is < 0 or > RecordTimestamps.MaxMilliseconds)
            {
                Note = $"its timestamp {value} is not a date between 1970 and 9999; it is ignored";
                value = null;
            }
        }

        integers[(int)field] = value;
    }

    public void SetList(RecordField field, IReadOnlyList<string>? value)
    {
        MarkSet(field);
        lists[(int)field] = value;
    }

    public void SetNoArch(NoArchType value)
    {
        MarkSet(RecordField.NoArch);
        noarch = value;
    }

    /// <summary>Whether the record has a value for <paramref name="field"/> yet (to complete a record without overriding it).</summary>
    public bool Has(RecordField field) => RecordFields.Kind(field) switch
    {
        RecordFieldKind.Text or RecordFieldKind.Hash => texts[(int)field] is { Length: > 0 },
        RecordFieldKind.Integer => field == RecordField.BuildNumber ? integers[(int)field] is not (null or 0) : integers[(int)field] is not null,
        RecordFieldKind.TextList => lists[(int)field] is { Count: > 0 },
        _ => noarch != NoArchType.None,
    };

    /// <summary>The value of a text or hash field read so far.</summary>
    public string? TextOf(RecordField field) => texts[(int)field];

    /// <summary>Keeps a key Krait does not model, with its raw JSON value.</summary>
    public void AddExtra(string key, byte[] rawJson) => (extraFields ??= []).Add(new(key, rawJson));

    /// <summary>Whether an unmodelled key is kept already.</summary>
    public bool HasExtra(string key)
    {
        if (extraFields is not null)
        {
            foreach (var (existing, _) in extraFields)
            {
                if (existing == key)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The record; <see cref="MissingIdentity"/> must be null.</summary>
    /// <param name="parsedVersion">The version already parsed by the reader (records share versions), or null to parse on first use.</param>
    public PackageRecord Build(string fileName, Versions.Version? parsedVersion = null)
    {
        if (MissingIdentity is { } missing)
        {
            throw new InvalidOperationException($"the record {fileName} has no {missing}");
        }

        return new PackageRecord
        {
            ParsedVersion = parsedVersion!,
            Name = texts[(int)RecordField.Name]!,
            Version = texts[(int)RecordField.Version]!,
            Build = texts[(int)RecordField.Build]!,
            BuildNumber = integers[(int)RecordField.BuildNumber] ?? 0,
            FileName = fileName,
            Depends = lists[(int)RecordField.Depends] ?? [],
            Constrains = lists[(int)RecordField.Constrains] ?? [],
            TrackFeatures = texts[(int)RecordField.TrackFeatures],
            Features = texts[(int)RecordField.Features],
            NoArch = noarch,
            Timestamp = integers[(int)RecordField.Timestamp],
            Md5 = texts[(int)RecordField.Md5],
            Sha256 = texts[(int)RecordField.Sha256],
            Size = integers[(int)RecordField.Size],
            License = texts[(int)RecordField.License],
            LicenseFamily = texts[(int)RecordField.LicenseFamily],
            Subdir = texts[(int)RecordField.Subdir] ?? DefaultSubdir,
            Platform = texts[(int)RecordField.Platform],
            Arch = texts[(int)RecordField.Arch],
            Purls = lists[(int)RecordField.Purls],
            PythonSitePackagesPath = texts[(int)RecordField.PythonSitePackagesPath],
            ExtraFields = extraFields,
            Url = Url,
            Channel = Channel,
            DownloadBaseUrl = DownloadBaseUrl,
        };
    }

    private void MarkSet(RecordField field)
    {
        var bit = 1 << (int)field;
        duplicated |= seen & bit;
        seen |= bit;
    }
}
