using System.Text;
using Krait.Repodata.Parsing;
using Krait.TestSupport;

namespace Krait.Repodata.Tests;

/// <summary>
/// Malformed repodata, decided case by case the way conda (Python's json module, then its record types) and rattler
/// (serde) read it: what both refuse is an error naming the file and the byte; a record neither could use is
/// skipped with a warning naming the file and the record; what conda accepts with a quirk (the later of two equal
/// keys counts) is accepted the same way, and said. Never silent. The full parser and the lazy per-name loader agree.
/// </summary>
public sealed class MalformedRepodataTests
{
    private const string Good = "\"foo-1.0-0.tar.bz2\": {\"name\": \"foo\", \"version\": \"1.0\", \"build\": \"0\", \"build_number\": 0, \"depends\": []}";

    private static string Repodata(string records, string after = "") =>
        "{\"info\": {\"subdir\": \"noarch\"}, \"packages\": {" + Good + (records.Length > 0 ? ", " + records : string.Empty) + "}}" + after;

    private static string Record(string fileName, string name = "foo", string version = "1.0", string build = "0", string rest = "") =>
        $"\"{fileName}\": {{\"name\": \"{name}\", \"version\": \"{version}\", \"build\": \"{build}\"{rest}}}";

    /// <summary>Input that no reader of conda's accepts: an error with the byte offset.</summary>
    public static TheoryData<string, string> Refused() => new()
    {
        { Repodata(string.Empty, after: "garbage"), "more after the end of the JSON document" },
        { Repodata(string.Empty, after: "{}"), "more after the end of the JSON document" },
        { "\uFEFF" + Repodata(string.Empty), "invalid JSON" },
        { Repodata(string.Empty)[..^3], "ends in the middle" },
        { Repodata(string.Empty)[..^12], "invalid JSON" },
        { Repodata(Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"build_number\": 1e400")), "not a number a record can hold" },
        { Repodata(Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"size\": 1e30")), "not a number a record can hold" },
        { Repodata(Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"depends\": \"foo\"")), "must be a list of strings" },
        { Repodata(Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"depends\": [1]")), "must be a list of strings" },
        { Repodata(Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"name\": 7")), "must be a string" },
        { Repodata(Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"noarch\": \"weird\"")), "noarch must be" },
        { Repodata(Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"timestamp\": \"yesterday\"")), "must be a number" },
        { """{"packages": {"x-1-0.tar.bz2": {"name": "x", "version": "1"}}}""", "has no \"build\"" },
        { """{"packages": []}""", "packages must be an object" },
        { """[]""", "repodata must be a JSON object" },
        { """{"repodata_version": "two"}""", "repodata_version must be a whole number" },
        { """{"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0", "x": """ + new string('[', 100) + new string(']', 100) + "}}}", "invalid JSON" },
    };

    /// <summary>Records neither conda nor rattler could use: skipped, with a warning naming the file and the record.</summary>
    public static TheoryData<string, string> Skipped() => new()
    {
        { Record("bar-1..2-0.tar.bz2", "bar", "1..2", "0"), "not a version conda can order" },
        { Record("bar-1.2.-0.tar.bz2", "bar", "1.2.", "0"), "not a version conda can order" },
        { Record("bar-!-0.tar.bz2", "bar", "!", "0"), "not a version conda can order" },
        { Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"build_number\": -1"), "its build_number is -1" },
        { Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"size\": -5"), "its size is -5" },
        { Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"name\": \"baz\""), "\"name\" is written twice" },
        { Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"version\": \"2\""), "\"version\" is written twice" },
        { Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"depends\": [], \"depends\": [\"evil\"]"), "\"depends\" is written twice" },
        { Record("Bar Baz-1-0.tar.bz2", "Bar Baz", "1", "0"), "is not a package name" },
        { Record("bar-1-0.tar.bz2", "bar", "1-2", "0"), "holds characters a version may not" },
        { Record("bar-1-0.tar.bz2", "bar", "1", "0 1"), "holds characters a build string may not" },
        { Record("bar-1-0.tar.bz2", "bar", "1", new string('b', 65)), "holds characters a build string may not" },
        { Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"subdir\": \"../linux-64\""), "is not a subdir" },
        { Record("bar-1-0.zip", "bar", "1", "0"), "is not <name>-<version>-<build>.conda or .tar.bz2" },
        { Record("bar-1-0/x.tar.bz2", "bar", "1", "0"), "is not <name>-<version>-<build>.conda or .tar.bz2" },
        { Record("baz-1-0.tar.bz2", "bar", "1", "0"), "does not name the package it describes" },
        { Record("bar-1-0.tar.bz2", "bar\\n", "1", "0"), "is not a package name" },
        { Record("bar-1-0.tar.bz2", "bar", "1", "0\\u0000"), "holds characters a build string may not" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Input_that_no_conda_reader_accepts_is_an_error_naming_the_file_and_byte(string json, string reason)
    {
        var error = Assert.Throws<RepodataFormatException>(() => RepodataParser.Parse(Encoding.UTF8.GetBytes(json), "channel/noarch/repodata.json"));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("channel/noarch/repodata.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Skipped))]
    public void A_record_no_one_could_use_is_skipped_with_a_warning_naming_file_and_record(string record, string reason)
    {
        var json = Repodata(record);

        var full = RepodataParser.Parse(Encoding.UTF8.GetBytes(json), "channel/noarch/repodata.json");

        Assert.Equal(["foo-1.0-0.tar.bz2"], full.Records().Select(r => r.FileName));
        var warning = Assert.Single(full.Warnings);
        Assert.Contains("channel/noarch/repodata.json", warning, StringComparison.Ordinal);
        Assert.Contains(reason, warning, StringComparison.Ordinal);

        // The lazy loader, which the solver uses, skips and says the same.
        using var folder = new TempFolder("malformed").Create();
        var path = folder.Combine("malformed.json");
        File.WriteAllText(path, json);
        using var lazy = LazyRepodata.Open(path, "noarch");
        Assert.Empty(lazy.RecordsOf("bar").Concat(lazy.RecordsOf("baz")).Concat(lazy.RecordsOf("Bar Baz")));
        Assert.Single(lazy.RecordsOf("foo"));
    }

    [Fact]
    public void Two_records_under_one_file_name_keep_the_later_as_conda_does_and_say_so()
    {
        var json = Repodata(Record("foo-1.0-0.tar.bz2", rest: ", \"depends\": [\"later\"]"));

        var repodata = RepodataParser.Parse(Encoding.UTF8.GetBytes(json), "channel/noarch/repodata.json");

        var record = Assert.Single(repodata.Records());
        Assert.Equal(["later"], record.Depends);
        Assert.Contains(repodata.Warnings, w => w.Contains("written twice in one section; the later record counts", StringComparison.Ordinal));
    }

    [Fact]
    public void A_timestamp_that_is_no_date_is_ignored_and_said()
    {
        var json = Repodata(Record("bar-1-0.tar.bz2", "bar", "1", "0", ", \"timestamp\": -5"));

        var repodata = RepodataParser.Parse(Encoding.UTF8.GetBytes(json), "channel/noarch/repodata.json");

        var bar = Assert.Single(repodata.Records(), r => r.Name == "bar");
        Assert.Null(bar.Timestamp);
        Assert.Contains(repodata.Warnings, w => w.Contains("timestamp", StringComparison.Ordinal) && w.Contains("bar-1-0.tar.bz2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_section_written_twice_counts_once_the_later_one()
    {
        var json = """{"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": "0"}}, "packages": {"b-1-0.tar.bz2": {"name": "b", "version": "1", "build": "0"}}}""";

        var repodata = RepodataParser.Parse(Encoding.UTF8.GetBytes(json), "r.json");

        Assert.Equal(["b"], repodata.Records().Select(r => r.Name));
        Assert.Contains(repodata.Warnings, w => w.Contains("\"packages\" is written twice", StringComparison.Ordinal));
    }
}
