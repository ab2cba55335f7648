namespace Krait.Conda.Records;

/// <summary>
/// The one definition of a package record's fields: each one's key, kind, whether readers share its values, when a
/// writer writes it, and where <see cref="PackageRecord"/> keeps it. The readers (repodata JSON, CEP-16 shards, conda-meta,
/// index.json) fill a <see cref="PackageRecordBuilder"/> field by field; the writers walk <see cref="All"/>.
/// </summary>
public static class RecordFields
{
    private static readonly (string Key, RecordFieldKind Kind, bool Shared)[] Table =
    [
        ("arch", RecordFieldKind.Text, true),
        ("build", RecordFieldKind.Text, false),
        ("build_number", RecordFieldKind.Integer, false),
        ("constrains", RecordFieldKind.TextList, false),
        ("depends", RecordFieldKind.TextList, false),
        ("features", RecordFieldKind.Text, true),
        ("license", RecordFieldKind.Text, true),
        ("license_family", RecordFieldKind.Text, true),
        ("md5", RecordFieldKind.Hash, false),
        ("name", RecordFieldKind.Text, true),
        ("noarch", RecordFieldKind.NoArch, false),
        ("platform", RecordFieldKind.Text, true),
        ("purls", RecordFieldKind.TextList, false),
        ("python_site_packages_path", RecordFieldKind.Text, true),
        ("sha256", RecordFieldKind.Hash, false),
        ("size", RecordFieldKind.Integer, false),
        ("subdir", RecordFieldKind.Text, true),
        ("timestamp", RecordFieldKind.Integer, false),
        ("track_features", RecordFieldKind.Text, true),
        ("version", RecordFieldKind.Text, true),
    ];

    private static readonly RecordField[] InKeyOrder = Enum.GetValues<RecordField>();

    /// <summary>How many fields there are (the enum's values run from 0 to this minus one).</summary>
    public const int Count = 20;

    /// <summary>Every field, in the ordinal order of its key: the order conda writes a record's keys in.</summary>
    public static ReadOnlySpan<RecordField> All => InKeyOrder;

    /// <summary>The field's JSON (and MessagePack) key, e.g. <c>build_number</c>.</summary>
    public static string Key(RecordField field) => Table[(int)field].Key;

    public static RecordFieldKind Kind(RecordField field) => Table[(int)field].Kind;

    /// <summary>
    /// True when many records share the field's values (names, versions, licences, subdirs): readers intern them,
    /// so half a million records hold a few thousand strings.
    /// </summary>
    public static bool IsShared(RecordField field) => Table[(int)field].Shared;

    /// <summary>The field a UTF-8 key names: a switch on length and bytes, the repodata parser's hot path.</summary>
    public static bool TryFind(ReadOnlySpan<byte> key, out RecordField field)
    {
        field = key.Length switch
        {
            3 when key.SequenceEqual("md5"u8) => RecordField.Md5,
            4 when key.SequenceEqual("name"u8) => RecordField.Name,
            4 when key.SequenceEqual("arch"u8) => RecordField.Arch,
            4 when key.SequenceEqual("size"u8) => RecordField.Size,
            5 when key.SequenceEqual("build"u8) => RecordField.Build,
            5 when key.SequenceEqual("purls"u8) => RecordField.Purls,
            6 when key.SequenceEqual("sha256"u8) => RecordField.Sha256,
            6 when key.SequenceEqual("subdir"u8) => RecordField.Subdir,
            6 when key.SequenceEqual("noarch"u8) => RecordField.NoArch,
            7 when key.SequenceEqual("version"u8) => RecordField.Version,
            7 when key.SequenceEqual("depends"u8) => RecordField.Depends,
            7 when key.SequenceEqual("license"u8) => RecordField.License,
            8 when key.SequenceEqual("platform"u8) => RecordField.Platform,
            8 when key.SequenceEqual("features"u8) => RecordField.Features,
            9 when key.SequenceEqual("timestamp"u8) => RecordField.Timestamp,
            10 when key.SequenceEqual("constrains"u8) => RecordField.Constrains,
            12 when key.SequenceEqual("build_number"u8) => RecordField.BuildNumber,
            14 when key.SequenceEqual("track_features"u8) => RecordField.TrackFeatures,
            14 when key.SequenceEqual("license_family"u8) => RecordField.LicenseFamily,
            25 when key.SequenceEqual("python_site_packages_path"u8) => RecordField.PythonSitePackagesPath,
            _ => (RecordField)(-1),
        };
        return field >= 0;
    }

    /// <summary>The field <paramref name="key"/> names.</summary>
    public static bool TryFind(string key, out RecordField field)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> utf8 = stackalloc byte[32];
        if (key.Length > utf8.Length || !System.Text.Encoding.UTF8.TryGetBytes(key, utf8, out var written))
        {
            field = (RecordField)(-1);
            return false;
        }

        return TryFind(utf8[..written], out field);
    }

    /// <summary>
    /// True when <paramref name="record"/> has a value for <paramref name="field"/> that a writer writes: always the
    /// identity, <c>build_number</c> and <c>depends</c>; <c>constrains</c> when not empty; <c>purls</c> when given (an
    /// empty list is a statement); the feature strings when not blank; <c>noarch</c> when the package is noarch; the
    /// rest when present.
    /// </summary>
    public static bool IsPresent(PackageRecord record, RecordField field)
    {
        ArgumentNullException.ThrowIfNull(record);
        return field switch
        {
            RecordField.Name or RecordField.Version or RecordField.Build or RecordField.BuildNumber or RecordField.Depends => true,
            RecordField.Constrains => record.Constrains.Count > 0,
            RecordField.Purls => record.Purls is not null,
            RecordField.TrackFeatures => !string.IsNullOrWhiteSpace(record.TrackFeatures),
            RecordField.Features => !string.IsNullOrWhiteSpace(record.Features),
            RecordField.NoArch => record.NoArch != NoArchType.None,
            _ => Kind(field) switch
            {
                RecordFieldKind.Integer => Integer(record, field) is not null,
                _ => Text(record, field) is not null,
            },
        };
    }

    /// <summary>The value of a <see cref="RecordFieldKind.Text"/> or <see cref="RecordFieldKind.Hash"/> field.</summary>
    public static string? Text(PackageRecord record, RecordField field)
    {
        ArgumentNullException.ThrowIfNull(record);
        return field switch
        {
            RecordField.Arch => record.Arch,
            RecordField.Build => record.Build,
            RecordField.Features => record.Features,
            RecordField.License => record.License,
            RecordField.LicenseFamily => record.LicenseFamily,
            RecordField.Md5 => record.Md5,
            RecordField.Name => record.Name,
            RecordField.Platform => record.Platform,
            RecordField.PythonSitePackagesPath => record.PythonSitePackagesPath,
            RecordField.Sha256 => record.Sha256,
            RecordField.Subdir => record.Subdir,
            RecordField.TrackFeatures => record.TrackFeatures,
            RecordField.Version => record.Version,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a text field"),
        };
    }

    /// <summary>The value of an <see cref="RecordFieldKind.Integer"/> field (timestamps in milliseconds).</summary>
    public static long? Integer(PackageRecord record, RecordField field)
    {
        ArgumentNullException.ThrowIfNull(record);
        return field switch
        {
            RecordField.BuildNumber => record.BuildNumber,
            RecordField.Size => record.Size,
            RecordField.Timestamp => record.Timestamp,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not an integer field"),
        };
    }

    /// <summary>The value of a <see cref="RecordFieldKind.TextList"/> field.</summary>
    public static IReadOnlyList<string>? List(PackageRecord record, RecordField field)
    {
        ArgumentNullException.ThrowIfNull(record);
        return field switch
        {
            RecordField.Constrains => record.Constrains,
            RecordField.Depends => record.Depends,
            RecordField.Purls => record.Purls,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a list field"),
        };
    }

    /// <summary><c>noarch</c> as conda writes it, or null for a package that is not noarch.</summary>
    public static string? NoArchText(NoArchType noarch) => noarch switch
    {
        NoArchType.Python => "python",
        NoArchType.Generic => "generic",
        _ => null,
    };
}
