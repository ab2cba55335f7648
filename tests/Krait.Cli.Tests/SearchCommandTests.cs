using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

public class SearchCommandTests
{
    private static readonly string ExampleChannel = "./examples/channel";

    [Fact]
    public void Lists_the_matching_records_of_the_example_channel_in_condas_columns()
    {
        var result = KraitProcess.Run(["search", "-c", ExampleChannel, "numpy >=1.20"]);
        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("# Name", lines[0], StringComparison.Ordinal);
        Assert.True(lines.Length > 5, result.StandardOutput);
        foreach (var line in lines.Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("numpy", columns[0]);
            Assert.True(Version.Parse(columns[1]) >= Version.Parse("1.20"), line);
            Assert.StartsWith("file://", columns[3], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Json_output_has_condas_shape_with_location_fields_and_sorted_records()
    {
        var result = KraitProcess.Run(["search", "-c", ExampleChannel, "numpy>=1.20,<1.24", "--json"]);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var records = json.RootElement.GetProperty("numpy").EnumerateArray().ToList();
        Assert.NotEmpty(records);
        Version? previous = null;
        foreach (var record in records)
        {
            var version = Version.Parse(record.GetProperty("version").GetString()!);
            Assert.True(version >= Version.Parse("1.20") && version < Version.Parse("1.24"), version.ToString());
            Assert.True(previous is null || previous <= version);
            previous = version;
            var fn = record.GetProperty("fn").GetString()!;
            Assert.Equal("linux-64", record.GetProperty("subdir").GetString());
            Assert.EndsWith("/examples/channel/linux-64", record.GetProperty("channel").GetString()!, StringComparison.Ordinal);
            Assert.EndsWith("/examples/channel/linux-64/" + fn, record.GetProperty("url").GetString()!, StringComparison.Ordinal);
            Assert.Equal(64, record.GetProperty("sha256").GetString()!.Length);
            Assert.Equal(JsonValueKind.Array, record.GetProperty("depends").ValueKind);
            var keys = record.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        }
    }

    [Theory]
    [InlineData("numpy==1.14.0")]
    [InlineData("numpy=*=*nomkl*")]
    [InlineData("*::numpy 1.9*")]
    [InlineData("python 2.7.*|3.5.*")]
    public void Finds_the_files_micromamba_finds_on_a_real_channel(string spec)
    {
        var expected = File.ReadLines(Path.Combine(RepoPaths.Conformance, "search.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("spec").GetString() == spec)
            .GetProperty("expected_fns").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);

        var result = KraitProcess.Run(["search", "--override-channels", "-c", RepoPaths.Channel("defaults-2017"), "--platform", "linux-64", spec, "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var found = json.RootElement.EnumerateObject().SelectMany(p => p.Value.EnumerateArray()).Select(r => r.GetProperty("fn").GetString()!);
        Assert.Equal(expected, found.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Another_platform_shows_only_what_that_platform_and_noarch_have()
    {
        var result = KraitProcess.Run(["search", "-c", ExampleChannel, "--platform", "osx-arm64", "*", "--json"]);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var subdirs = json.RootElement.EnumerateObject().SelectMany(p => p.Value.EnumerateArray()).Select(r => r.GetProperty("subdir").GetString()).Distinct();
        Assert.Equal(["noarch"], subdirs);
    }

    [Fact]
    public void Shows_every_field_with_info()
    {
        var result = KraitProcess.Run(["search", "-c", ExampleChannel, "python 3.12.*", "--info"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("file name   : python-3.12.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("dependencies:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("timestamp   : 20", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_nothing_provides_is_an_error_after_the_flexible_search()
    {
        var result = KraitProcess.Run(["search", "-c", ExampleChannel, "numpi"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No match found for: numpi. Search: *numpi*", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("not available from current channels", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("  - numpi", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_come_as_condas_json_object_with_json()
    {
        var result = KraitProcess.Run(["search", "-c", ExampleChannel, "numpi", "--json"]);
        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.False(json.RootElement.GetProperty("success").GetBoolean());
        Assert.Equal("PackagesNotFoundError", json.RootElement.GetProperty("exception_name").GetString());
    }

    [Theory]
    [InlineData("numpy[version=1.2", "unclosed '['")]
    [InlineData("numpy >=1..2", "empty version component")]
    [InlineData("num$py", "invalid character '$'")]
    public void An_invalid_spec_says_where_and_why(string spec, string reason)
    {
        var result = KraitProcess.Run(["search", "-c", ExampleChannel, spec]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("at character", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_channel_and_a_bad_platform_are_clear_errors()
    {
        var missing = KraitProcess.Run(["search", "-c", "./no/such/channel", "numpy"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("channel not found", missing.StandardError, StringComparison.Ordinal);

        var platform = KraitProcess.Run(["search", "-c", ExampleChannel, "--platform", "linux-65", "numpy"]);
        Assert.Equal(1, platform.ExitCode);
        Assert.Contains("unknown platform 'linux-65'", platform.StandardError, StringComparison.Ordinal);

        var none = KraitProcess.Run(["search", "numpy"]);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no channels", none.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_repodata_names_the_file_and_the_byte()
    {
        using var channel = new TempFolder("bad");
        Directory.CreateDirectory(Path.Combine(channel, "noarch"));
        const string Repodata = """{"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1", "build": 0}}}""";
        File.WriteAllText(Path.Combine(channel, "noarch", "repodata.json"), Repodata);
        var offending = Repodata.IndexOf("0}}}", StringComparison.Ordinal);
        var result = KraitProcess.Run(["search", "-c", channel, "*"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(Path.Combine(channel, "noarch", "repodata.json"), result.StandardError, StringComparison.Ordinal);
        Assert.Contains($"repodata.json:1:{offending + 1}: malformed repodata (byte {offending}):", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("build must be a string", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Channels_from_condarc_are_searched_unless_overridden()
    {
        using var folder = new TempFolder("condarc").Create();
        var condarc = folder.Combine("condarc.yml");
        File.WriteAllText(condarc, $"channels:\n  - {Path.Combine(RepoPaths.Root, "examples", "channel")}\n");
        var result = KraitProcess.Run(["search", "scipy", "--json"], new Dictionary<string, string> { ["CONDARC"] = condarc });
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"scipy\"", result.StandardOutput, StringComparison.Ordinal);
    }
}
