using System.Text;
using System.Text.Json;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Packages;
using Krait.Repodata.Parsing;
using Krait.Repodata.Remote;
using Krait.Repodata.Writing;
using Krait.TestSupport;

namespace Krait.Install.Tests;

/// <summary>
/// Every record of the shared real channels survives every format a record travels through — repodata JSON, a
/// CEP-16 shard, conda-meta, repodata_record.json, a package's index.json — with every field and every unmodelled
/// key unchanged. The comparison names each property itself, so that it does not share a blind spot with the field
/// table the readers and writers use.
/// </summary>
public sealed class RecordRoundTripTests : IDisposable
{
    private readonly TempFolder scratch = new("roundtrip");

    public void Dispose() => scratch.Dispose();

    public static TheoryData<string> Subdirs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Channels, "repodata.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Channels, Path.GetDirectoryName(file)!));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Subdirs))]
    public void A_channels_records_survive_every_format(string subdirPath)
    {
        var subdir = Path.GetFileName(subdirPath);
        var origin = RecordOrigin.Of(Channel.Parse("https://conda.example.org/roundtrip"), subdir);
        var repodata = RepodataParser.ParseFile(Path.Combine(RepoPaths.Channels, subdirPath, "repodata.json"), subdir, origin);
        var records = repodata.TarBz2Packages.Concat(repodata.CondaPackages).ToList();
        AssertSurvives(records, origin, subdir);
    }

    [Fact]
    public void Fields_no_shared_channel_has_survive_too()
    {
        var extra = new List<KeyValuePair<string, byte[]>>
        {
            new("legacy_bz2_md5", Encoding.UTF8.GetBytes("\"0123456789abcdef0123456789abcdef\"")),
            new("nested", Encoding.UTF8.GetBytes("{\"a\":[1,-2,true,null,\"x\"],\"b\":{\"c\":12.5}}")),
            new("signed", Encoding.UTF8.GetBytes("false")),
        };
        var record = new PackageRecord
        {
            Name = "full", Version = "1.2.3", Build = "py312h0_7", BuildNumber = 7, FileName = "full-1.2.3-py312h0_7.conda",
            Depends = ["python >=3.12", "libzlib"], Constrains = ["numpy <3"], TrackFeatures = "mkl", Features = "blas_mkl",
            NoArch = NoArchType.Python, Timestamp = 1_718_000_000_123, Md5 = "00112233445566778899aabbccddeeff",
            Sha256 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", Size = 12345, License = "MIT",
            LicenseFamily = "MIT", Subdir = "noarch", Platform = "linux", Arch = "x86_64", Purls = ["pkg:pypi/full@1.2.3"],
            PythonSitePackagesPath = "lib/python3.12t/site-packages", ExtraFields = extra,
        };
        var empty = new PackageRecord { Name = "bare", Version = "0.1", Build = "0", FileName = "bare-0.1-0.tar.bz2", Purls = [], Subdir = "noarch" };
        AssertSurvives([record, empty], RecordOrigin.Of(Channel.Parse("https://conda.example.org/roundtrip"), "noarch"), "noarch");
    }

    private void AssertSurvives(List<PackageRecord> records, RecordOrigin origin, string subdir)
    {
        // repodata JSON → shard
        var warnings = new List<string>();
        var fromShards = new List<PackageRecord>();
        foreach (var record in records)
        {
            var shard = ShardWriter.Shard([record]);
            var read = ShardFormat.ReadShard(shard, origin, baseUrl: null, subdir, "test shard", warnings);
            fromShards.Add(Assert.Single(read));
        }

        Assert.Empty(warnings);
        AssertSame(records, fromShards, "a shard", archiveFacts: true, locationExtras: true);

        // shard → conda-meta (one prefix per file kind: a .tar.bz2 and its .conda twin share a conda-meta name)
        var fromPrefix = new List<PackageRecord>();
        foreach (var kind in new[] { ".conda", ".tar.bz2" })
        {
            var prefix = scratch.Combine(subdir + kind);
            var ofKind = fromShards.Where(r => r.FileName.EndsWith(kind, StringComparison.Ordinal)).ToList();
            foreach (var record in ofKind)
            {
                PrefixRecordWriter.Write(prefix, record, [], "/cache/" + record.FileName, null, record.Name);
            }

            var byFileName = ofKind.Count == 0 ? [] : PrefixData.Read(Prefix.At(prefix)).ToDictionary(r => r.FileName, StringComparer.Ordinal);
            fromPrefix.AddRange(ofKind.Select(r => byFileName[r.FileName]));
            Assert.All(fromPrefix, r => Assert.Null(r.ExtraFields?.FirstOrDefault(e => PrefixRecordWriter.PrefixKeys.Contains(e.Key)).Key));
        }

        var inPrefixOrder = fromShards.Where(r => r.FileName.EndsWith(".conda", StringComparison.Ordinal))
            .Concat(fromShards.Where(r => r.FileName.EndsWith(".tar.bz2", StringComparison.Ordinal))).ToList();
        // conda-meta says where the record came from in fn, url and channel: a channel's own copies of those keys give way to them.
        AssertSame(inPrefixOrder, fromPrefix, "conda-meta", archiveFacts: true, locationExtras: false);
        Assert.All(inPrefixOrder.Zip(fromPrefix), pair => Assert.Equal(pair.First.Url, pair.Second.Url));

        // conda-meta → repodata_record.json
        var fromRecordFile = fromPrefix.Select(record => ReadBack(record, RecordJsonStyle.CondaDump)).ToList();
        AssertSame(fromPrefix, fromRecordFile, "repodata_record.json", archiveFacts: true, locationExtras: true);

        // repodata_record.json → index.json (the archive's own record, without the archive's hashes and size)
        var extracted = scratch.Combine("extracted");
        Directory.CreateDirectory(Path.Combine(extracted, "info"));
        var fromIndex = new List<PackageRecord>();
        foreach (var record in fromRecordFile)
        {
            using (var stream = File.Create(Path.Combine(extracted, "info", "index.json")))
            using (var writer = new Utf8JsonWriter(stream))
            {
                RecordJson.Write(writer, record, RecordJsonStyle.IndexJson);
            }

            var fromUrl = new PackageRecord { Name = record.Name, Version = record.Version, Build = record.Build, FileName = record.FileName };
            fromIndex.Add(PackageIndex.Complete(fromUrl, extracted));
        }

        AssertSame(fromRecordFile, fromIndex, "index.json", archiveFacts: false, locationExtras: true);
    }

    private static PackageRecord ReadBack(PackageRecord record, RecordJsonStyle style)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            RecordJson.Write(writer, record, style);
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        var builder = new PackageRecordBuilder();
        var fileName = RecordJson.Read(document.RootElement, builder);
        return builder.Build(fileName ?? record.FileName);
    }

    private static void AssertSame(List<PackageRecord> expected, List<PackageRecord> actual, string format, bool archiveFacts, bool locationExtras)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var shape = Shape(expected[i], archiveFacts, locationExtras);
            var after = Shape(actual[i], archiveFacts, locationExtras);
            Assert.True(shape == after, $"{expected[i].FileName} changed on its way through {format}:\nbefore: {shape}\nafter:  {after}");
        }
    }

    /// <summary>Every property of the record, each by name, and its unmodelled keys with their values in compact JSON.</summary>
    private static string Shape(PackageRecord r, bool archiveFacts, bool locationExtras)
    {
        var text = new StringBuilder();
        text.Append($"name={r.Name} version={r.Version} build={r.Build} build_number={r.BuildNumber} fn={r.FileName} ");
        text.Append($"depends=[{string.Join('|', r.Depends)}] constrains=[{string.Join('|', r.Constrains)}] ");
        text.Append($"track_features={r.TrackFeatures} features={r.Features} noarch={r.NoArch} timestamp={r.Timestamp} ");
        if (archiveFacts)
        {
            text.Append($"md5={r.Md5} sha256={r.Sha256} size={r.Size} ");
        }

        text.Append($"license={r.License} license_family={r.LicenseFamily} subdir={r.Subdir} platform={r.Platform} arch={r.Arch} ");
        text.Append($"purls={(r.Purls is null ? "none" : $"[{string.Join('|', r.Purls)}]")} site_packages={r.PythonSitePackagesPath}");
        foreach (var (key, raw) in (r.ExtraFields ?? []).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!locationExtras && RecordJson.LocationKeys.Contains(key))
            {
                continue;
            }

            using var value = JsonDocument.Parse(raw);
            text.Append($" {key}={JsonSerializer.Serialize(value.RootElement)}");
        }

        return text.ToString();
    }
}
