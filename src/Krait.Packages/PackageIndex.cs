using System.Text.Json;
using Krait.Conda;

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

        var noarch = record.NoArch;
        if (noarch == NoArchType.None && index.TryGetProperty("noarch", out var kind))
        {
            noarch = kind.ValueKind == JsonValueKind.True || (kind.ValueKind == JsonValueKind.String && kind.GetString() == "generic") ? NoArchType.Generic
                : kind.ValueKind == JsonValueKind.String && kind.GetString() == "python" ? NoArchType.Python
                : NoArchType.None;
        }

        return new PackageRecord
        {
            Name = record.Name,
            Version = record.Version,
            Build = record.Build,
            BuildNumber = record.BuildNumber != 0 ? record.BuildNumber : index.TryGetProperty("build_number", out var number) && number.TryGetInt64(out var n) ? n : 0,
            FileName = record.FileName,
            Depends = record.Depends.Count > 0 ? record.Depends : index.Strings("depends"),
            Constrains = record.Constrains.Count > 0 ? record.Constrains : index.Strings("constrains"),
            TrackFeatures = record.TrackFeatures ?? index.String("track_features"),
            Features = record.Features ?? index.String("features"),
            NoArch = noarch,
            Timestamp = record.Timestamp ?? (index.TryGetProperty("timestamp", out var time) && time.TryGetInt64(out var t) ? t : null),
            Md5 = record.Md5,
            Sha256 = record.Sha256,
            Size = record.Size,
            License = record.License ?? index.String("license"),
            LicenseFamily = record.LicenseFamily ?? index.String("license_family"),
            Subdir = record.Subdir ?? index.String("subdir"),
            Platform = record.Platform ?? index.String("platform"),
            Arch = record.Arch ?? index.String("arch"),
            Purls = record.Purls,
            PythonSitePackagesPath = record.PythonSitePackagesPath ?? index.String("python_site_packages_path"),
            Url = record.Url,
            Channel = record.Channel,
            ExtraFields = record.ExtraFields,
        };
    }
}
