using System.Text.Json;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.TestSupport;

namespace Krait.Conda.Tests.Specs;

/// <summary>
/// Every spec the recorded conformance cases use parses, its canonical form is a fixed point, and the canonical
/// form matches exactly the records the original matches (checked on every record of defaults-2017 linux-64).
/// </summary>
public class ConformanceSpecRoundTripTests
{
    private static readonly Lazy<List<PackageRecord>> Records = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Channel("defaults-2017"), "linux-64", "repodata.json")));
        return [.. json.RootElement.GetProperty("packages").EnumerateObject().Select(p => new PackageRecord
        {
            Name = p.Value.GetProperty("name").GetString()!,
            Version = p.Value.GetProperty("version").GetString()!,
            Build = p.Value.GetProperty("build").GetString()!,
            BuildNumber = p.Value.GetProperty("build_number").GetInt64(),
            FileName = p.Name,
            Subdir = "linux-64",
        })];
    });

    public static TheoryData<string> Specs()
    {
        var specs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Conformance, "search.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            specs.Add(json.RootElement.GetProperty("spec").GetString()!);
        }

        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Conformance, "solves.jsonl")))
        {
            using var json = JsonDocument.Parse(line);
            foreach (var spec in json.RootElement.GetProperty("specs").EnumerateArray())
            {
                specs.Add(spec.GetString()!);
            }
        }

        var data = new TheoryData<string>();
        foreach (var spec in specs)
        {
            data.Add(spec);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Canonical_form_round_trips(string text)
    {
        var spec = MatchSpec.Parse(text);
        var again = MatchSpec.Parse(spec.ToString());
        Assert.Equal(spec.ToString(), again.ToString());
        Assert.Equal(spec.ExactChannel, again.ExactChannel);
        var matched = Records.Value.Where(spec.Matches).Select(r => r.FileName).ToList();
        Assert.Equal(matched, Records.Value.Where(again.Matches).Select(r => r.FileName).ToList());
    }
}
