using System.Text.Json;
using Krait.Conda.Records;
using Krait.Repodata.Parsing;

namespace Krait.Repodata.Tests;

public class RepodataParserTests
{
    public static TheoryData<string> Files => SharedRepodata.All();

    [Theory]
    [MemberData(nameof(Files))]
    public void Parses_every_record_of_every_shared_channel_like_a_general_json_parser_reads_it(string relative)
    {
        var path = SharedRepodata.PathOf(relative);
        var repodata = RepodataParser.ParseFile(path);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var skipped = new List<string>();
        foreach (var (section, records) in new[] { ("packages", repodata.TarBz2Packages), ("packages.conda", repodata.CondaPackages) })
        {
            if (!root.TryGetProperty(section, out var expected))
            {
                Assert.Empty(records);
                continue;
            }

            // A record whose file name does not name it (three of conda's own test records in defaults-2013) is skipped, and said.
            bool NamesItself(JsonProperty r) =>
                r.Name.StartsWith($"{r.Value.GetProperty("name").GetString()}-{r.Value.GetProperty("version").GetString()}-{r.Value.GetProperty("build").GetString()}.", StringComparison.Ordinal);
            skipped.AddRange(expected.EnumerateObject().Where(r => !NamesItself(r)).Select(r => r.Name));
            var expectedRecords = expected.EnumerateObject().Where(NamesItself).ToList();
            Assert.Equal(expectedRecords.Count, records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                var json = expectedRecords[i].Value;
                Assert.Equal(expectedRecords[i].Name, record.FileName);
                Assert.Equal(json.GetProperty("name").GetString(), record.Name);
                Assert.Equal(json.GetProperty("version").GetString(), record.Version);
                Assert.Equal(json.GetProperty("build").GetString(), record.Build);
                Assert.Equal(json.TryGetProperty("build_number", out var bn) ? bn.GetInt64() : 0, record.BuildNumber);
                var depends = json.TryGetProperty("depends", out var d) && d.ValueKind == JsonValueKind.Array ? d.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
                Assert.Equal(depends, record.Depends);
                Assert.Equal(json.TryGetProperty("md5", out var md5) ? md5.GetString() : null, record.Md5);
                Assert.Equal(json.TryGetProperty("sha256", out var sha) ? sha.GetString() : null, record.Sha256);
                if (json.TryGetProperty("timestamp", out var ts))
                {
                    var raw = ts.GetInt64();
                    Assert.Equal(raw < 253402300799 ? raw * 1000 : raw, record.Timestamp);
                }

                var subdir = json.TryGetProperty("subdir", out var s) ? s.GetString() : repodata.Subdir;
                Assert.Equal(subdir, record.Subdir);
            }
        }

        var expectedVersion = root.TryGetProperty("repodata_version", out var v) ? v.GetInt32() : (int?)null;
        Assert.Equal(expectedVersion, repodata.RepodataVersion);
        Assert.Equal(skipped.Count, repodata.Warnings.Count);
        Assert.All(skipped, fn => Assert.Contains(repodata.Warnings, w => w.Contains(fn, StringComparison.Ordinal) && w.Contains("does not name the package", StringComparison.Ordinal)));
    }

    [Fact]
    public void Keeps_fields_it_does_not_model_and_reads_legacy_shapes()
    {
        var json = """
            {
              "info": {"subdir": "linux-64", "base_url": "https://example.org/chan", "arch": "x86_64"},
              "packages": {
                "a-1.0-0.tar.bz2": {"name": "a", "version": "1.0", "build": "0", "build_number": 0, "depends": [],
                  "noarch": true, "timestamp": 1500000000, "license": null,
                  "requires_features": {"blas": "mkl"}, "app_type": "desk"},
                "a-1.0-1.tar.bz2": {"name": "a", "version": "1.0", "build": "1", "build_number": 1, "depends": ["python >=3.8"],
                  "noarch": "python", "timestamp": 1500000000123, "track_features": "mkl debug", "constrains": ["b <2"],
                  "purls": ["pkg:pypi/a"], "python_site_packages_path": "lib/python3.13t/site-packages"}
              },
              "packages.conda": {
                "a-1.0-1.conda": {"name": "a", "version": "1.0", "build": "1", "build_number": 1, "depends": []}
              },
              "removed": ["a-0.9-0.tar.bz2"],
              "repodata_version": 2,
              "signatures": {"a-1.0-1.conda": {"key": {"signature": "00"}}}
            }
            """u8;
        var repodata = RepodataParser.Parse(json, "inline");
        Assert.Equal("linux-64", repodata.Subdir);
        Assert.Equal("https://example.org/chan", repodata.BaseUrl);
        Assert.Equal(2, repodata.RepodataVersion);
        Assert.Equal(["a-0.9-0.tar.bz2"], repodata.Removed);
        Assert.Equal("arch", Assert.Single(repodata.ExtraInfoFields!).Key);
        Assert.Equal("signatures", Assert.Single(repodata.ExtraFields!).Key);

        var legacy = repodata.TarBz2Packages[0];
        Assert.Equal(NoArchType.Generic, legacy.NoArch);
        Assert.Equal(1500000000000, legacy.Timestamp);
        Assert.Null(legacy.License);
        Assert.Equal("linux-64", legacy.Subdir);
        Assert.Equal(["requires_features", "app_type"], legacy.ExtraFields!.Select(f => f.Key));
        Assert.Equal("{\"blas\": \"mkl\"}", System.Text.Encoding.UTF8.GetString(legacy.ExtraFields![0].Value));

        var modern = repodata.TarBz2Packages[1];
        Assert.Equal(NoArchType.Python, modern.NoArch);
        Assert.Equal(1500000000123, modern.Timestamp);
        Assert.Equal(["debug", "mkl"], modern.TrackFeatureList.Order());
        Assert.Equal(["b <2"], modern.Constrains);
        Assert.Equal(["pkg:pypi/a"], modern.Purls!);
        Assert.Equal("lib/python3.13t/site-packages", modern.PythonSitePackagesPath);

        // The .conda twin replaces the .tar.bz2 of the same stem; the other .tar.bz2 stays, after the .conda records.
        Assert.Equal(["a-1.0-1.conda", "a-1.0-0.tar.bz2"], repodata.Records().Select(r => r.FileName));
    }

    [Theory]
    [InlineData("""{"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0", "build_number": "x"}}}""", "build_number must be a number, not a string", "\"x\"")]
    [InlineData("""{"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0", "depends": "b"}}}""", "depends must be a list of strings", "\"b\"")]
    [InlineData("""{"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1"}}}""", "has no \"build\"", "}}}")]
    [InlineData("""{"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0",""", "ends in the middle", "\"0\",")]
    [InlineData("""{"packages": {"a-1-0.tar.bz2": {"name": "a" "version": "1"}}}""", "invalid JSON", " \"version")]
    [InlineData("""[]""", "must be a JSON object", "[")]
    [InlineData("""{"packages": []}""", "packages must be an object", "[")]
    [InlineData("""{"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0", "noarch": "weird"}}}""", "noarch must be", "\"weird\"")]
    public void Rejects_malformed_repodata_with_the_offset_and_what_was_expected(string json, string problem, string near)
    {
        var error = Assert.Throws<RepodataFormatException>(() => RepodataParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), "bad/repodata.json"));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("bad/repodata.json", error.Message, StringComparison.Ordinal);
        var expected = json.IndexOf(near, StringComparison.Ordinal);
        Assert.InRange(error.ByteOffset, expected, expected + near.Length);
    }

    [Fact]
    public void Rejects_an_empty_file()
    {
        var error = Assert.Throws<RepodataFormatException>(() => RepodataParser.Parse([], "empty.json"));
        Assert.Contains("ends in the middle", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.ByteOffset);
    }

    [Fact]
    public void Rejects_invalid_utf8_in_a_string()
    {
        var json = "{\"packages\": {\"a-1-0.tar.bz2\": {\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"license\": \"X\"}}}"u8.ToArray();
        var at = Array.IndexOf(json, (byte)'X');
        json[at] = 0xC3; // a lead byte with no continuation
        var error = Assert.Throws<RepodataFormatException>(() => RepodataParser.Parse(json, "bad.json"));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }
}
