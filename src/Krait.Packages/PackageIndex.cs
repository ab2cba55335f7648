using System.Text.Json;
using Krait.Conda.Parsing;
using Krait.Conda.Records;
using Krait.Files;

namespace Krait.Packages;

/// <summary>
/// Fills in a record from the package's own <c>info/index.json</c>: a record made from a URL alone (an
/// <c>@EXPLICIT</c> file) knows the name, version and build but not the dependencies, <c>noarch</c> kind or
/// site-packages path that installing and <c>conda-meta</c> need. What the record already has wins.
/// </summary>
public static class PackageIndex
{
    public static PackageRecord Complete(PackageRecord record, string extracted)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (md5Hash, sha256Hash, archiveSize) = ArchiveFacts(record, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(extracted))!, record.FileName));
        var path = Path.Combine(extracted, "info", "index.json");
        if (!File.Exists(path))
        {
            throw new HostileArchiveException(record.FileName, "info/index.json", "is missing: this is not a conda package");
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var index = document.RootElement;
        if (index.ValueKind != JsonValueKind.Object)
        {
            throw new HostileArchiveException(record.FileName, "info/index.json", "is not a JSON object");
        }

        if (index.String("name") is { } name && name != record.Name)
        {
            throw new HostileArchiveException(record.FileName, "info/index.json", $"names the package '{name}', not '{record.Name}'");
        }

        var fromIndex = new PackageRecordBuilder();
        RecordJson.Read(index, fromIndex);
        fromIndex.SetText(RecordField.Name, record.Name);
        fromIndex.SetText(RecordField.Version, fromIndex.TextOf(RecordField.Version) ?? record.Version);
        fromIndex.SetText(RecordField.Build, fromIndex.TextOf(RecordField.Build) ?? record.Build);

        var completed = new PackageRecordBuilder();
        completed.Load(record);
        completed.Complete(fromIndex.Build(record.FileName));
        completed.SetText(RecordField.Md5, md5Hash);
        completed.SetText(RecordField.Sha256, sha256Hash);
        completed.SetInteger(RecordField.Size, archiveSize);
        return completed.Build(record.FileName);
    }

    /// <summary>
    /// The size, md5 and sha256 of the cached archive where the record lacks them (an @EXPLICIT line without a hash):
    /// conda-meta carries all three, and conda, mamba and <c>krait list --explicit --md5</c> read them from there.
    /// </summary>
    private static (string? Md5, string? Sha256, long? Size) ArchiveFacts(PackageRecord record, string archive)
    {
        if ((record.Md5 is { Length: > 0 } && record.Sha256 is { Length: > 0 } && record.Size is not null) || !File.Exists(archive))
        {
            return (record.Md5, record.Sha256, record.Size);
        }

        var digest = FileDigest.Of(archive);
        return (
            record.Md5 is { Length: > 0 } knownMd5 ? knownMd5 : digest.Md5,
            record.Sha256 is { Length: > 0 } knownSha256 ? knownSha256 : digest.Sha256,
            record.Size ?? digest.Size);
    }
}
