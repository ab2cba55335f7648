namespace Krait.Conda.Records;

/// <summary>
/// The fields of a package record that Krait models, in the ordinal order of their keys (the order conda writes them).
/// Every other key a record carries is kept as raw JSON in <see cref="PackageRecord.ExtraFields"/>.
/// </summary>
/// <remarks>
/// <see cref="RecordFields"/> says each one's key and kind; every reader and writer of records (repodata JSON, CEP-16
/// shards, conda-meta, repodata_record.json, index.json) goes through that one table.
/// </remarks>
public enum RecordField
{
    Arch,
    Build,
    BuildNumber,
    Constrains,
    Depends,
    Features,
    License,
    LicenseFamily,
    Md5,
    Name,
    NoArch,
    Platform,
    Purls,
    PythonSitePackagesPath,
    Sha256,
    Size,
    Subdir,
    Timestamp,
    TrackFeatures,
    Version,
}

/// <summary>What a record field holds, which decides how each format reads and writes it.</summary>
public enum RecordFieldKind
{
    /// <summary>A string.</summary>
    Text,

    /// <summary>A hash as lower-case hex text (CEP-16 shards write it as raw bytes).</summary>
    Hash,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A list of strings.</summary>
    TextList,

    /// <summary><c>noarch</c>: <c>"python"</c>, <c>"generic"</c>, or the legacy booleans.</summary>
    NoArch,
}
