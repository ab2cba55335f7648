using System.Text;
using System.Text.Json;
using Krait.Conda.Records;
using Krait.Repodata.Parsing;
using Krait.Repodata.Writing;
using Krait.TestSupport;

namespace Krait.Repodata.Tests;

public class RepodataWriterTests
{
    public static TheoryData<string> Files => SharedRepodata.All();

    [Theory]
    [MemberData(nameof(Files))]
    public void Rewriting_a_real_repodata_loses_nothing(string relative)
    {
        var original = RepodataParser.ParseFile(SharedRepodata.PathOf(relative));
        using var buffer = new MemoryStream();
        RepodataWriter.Write(buffer, original);
        var rewritten = RepodataParser.Parse(buffer.ToArray(), "rewritten");

        Assert.Equal(original.Subdir, rewritten.Subdir);
        Assert.Equal(original.BaseUrl, rewritten.BaseUrl);
        Assert.Equal(original.RepodataVersion, rewritten.RepodataVersion);
        Assert.Equal(original.Removed, rewritten.Removed);
        Assert.Equal(Keys(original.ExtraFields), Keys(rewritten.ExtraFields));
        Assert.Equal(Keys(original.ExtraInfoFields), Keys(rewritten.ExtraInfoFields));
        AssertSame(Describe(original.TarBz2Packages), Describe(rewritten.TarBz2Packages));
        AssertSame(Describe(original.CondaPackages), Describe(rewritten.CondaPackages));
    }

    private static void AssertSame(List<string> expected, List<string> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i] == actual[i], $"record {i} differs:\n  read:      {expected[i]}\n  rewritten: {actual[i]}");
        }
    }

    [Fact]
    public void Writes_sorted_keys_and_keeps_unknown_values_verbatim()
    {
        var json = """{"packages": {"b-1-0.tar.bz2": {"zeta": {"k": [1, 2]}, "name": "b", "version": "1", "build": "0", "alpha": "x"}, "a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0"}}, "info": {"subdir": "noarch"}}"""u8;
        using var buffer = new MemoryStream();
        RepodataWriter.Write(buffer, RepodataParser.Parse(json, "inline"));
        using var document = JsonDocument.Parse(buffer.ToArray());
        Assert.Equal(["info", "packages", "packages.conda", "removed"], document.RootElement.EnumerateObject().Select(p => p.Name));
        var packages = document.RootElement.GetProperty("packages");
        Assert.Equal(["a-1-0.tar.bz2", "b-1-0.tar.bz2"], packages.EnumerateObject().Select(p => p.Name));
        var b = packages.GetProperty("b-1-0.tar.bz2");
        var keys = b.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal("[1,2]", b.GetProperty("zeta").GetProperty("k").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal("x", b.GetProperty("alpha").GetString());
    }

    [Fact]
    public void Writing_a_file_replaces_it_whole()
    {
        using var folder = new TempFolder("write").Create();
        var path = folder.Combine("write.json");
        File.WriteAllText(path, "old content that is not json");
        var repodata = RepodataParser.Parse("""{"info": {"subdir": "noarch"}, "packages": {}}"""u8, "inline");
        RepodataWriter.WriteFile(path, repodata);
        Assert.Equal("noarch", RepodataParser.ParseFile(path).Subdir);
        Assert.Empty(Directory.GetFiles(folder, Path.GetFileName(path) + ".*.tmp"));
    }

    private static List<string> Keys(IReadOnlyList<KeyValuePair<string, byte[]>>? fields) =>
        fields?.Select(f => f.Key).Order(StringComparer.Ordinal).ToList() ?? [];

    private static List<string> Describe(IReadOnlyList<PackageRecord> records) =>
        records.OrderBy(r => r.FileName, StringComparer.Ordinal).Select(r => string.Join('|',
            r.FileName, r.Name, r.Version, r.Build, r.BuildNumber, string.Join(',', r.Depends), string.Join(',', r.Constrains),
            r.TrackFeatures, r.Features, r.NoArch, r.Timestamp, r.Md5, r.Sha256, r.Size, r.License, r.LicenseFamily, r.Subdir,
            r.Platform, r.Arch, r.Purls is null ? null : string.Join(',', r.Purls), r.PythonSitePackagesPath,
            string.Join(';', (r.ExtraFields ?? []).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + Canonical(f.Value))))).ToList();

    private static string Canonical(byte[] raw)
    {
        using var document = JsonDocument.Parse(raw);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
