using System.Text.Json;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Configuration.VirtualPackages;
using Krait.Repodata.Query;
using Krait.Solve.Conda;
using Krait.TestSupport;

namespace Krait.Solve.Tests;

/// <summary>One line of ../shared/conformance/solves.jsonl and the means to run it.</summary>
public sealed record ConformanceCase(int Line, string Channel, string Subdir, IReadOnlyList<string> Specs, IReadOnlyList<string>? Expected, string? PeerMessage)
{
    private static readonly Dictionary<string, string> Overrides = new(StringComparer.Ordinal)
    {
        ["CONDA_OVERRIDE_GLIBC"] = "2.17",
        ["CONDA_OVERRIDE_CUDA"] = "10.0",
    };

    /// <param name="file">solves.jsonl (the stored channels) or solves-large.jsonl (the generated conda-forge-scale one).</param>
    public static IReadOnlyList<ConformanceCase> All(string file = "solves.jsonl")
    {
        var cases = new List<ConformanceCase>();
        var line = 0;
        foreach (var text in File.ReadLines(Path.Combine(RepoPaths.Conformance, file)))
        {
            line++;
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var expected = root.GetProperty("expected");
            cases.Add(new ConformanceCase(
                line,
                root.GetProperty("channel").GetString()!,
                root.GetProperty("subdir").GetString()!,
                [.. root.GetProperty("specs").EnumerateArray().Select(s => s.GetString()!)],
                expected.ValueKind == JsonValueKind.Array ? [.. expected.EnumerateArray().Select(e => e.GetString()!)] : null,
                root.TryGetProperty("peer_message", out var message) ? message.GetString() : null));
        }

        return cases;
    }

    public SolveResult Solve(ChannelPriority priority = ChannelPriority.Strict)
    {
        var channels = Channel.Split('+').Select(c => Krait.Conda.Channels.Channel.Parse(RepoPaths.Channel(c))).ToList();
        using var source = new ChannelPackageSource(channels, Subdir);
        return Solve(source, priority);
    }

    /// <summary>Solves the case as <c>micromamba create</c> does, on records already opened.</summary>
    public SolveResult Solve(IPackageSource source, ChannelPriority priority = ChannelPriority.Strict)
    {
        var request = new SolveRequest(
            PipDependency.Requested([.. Specs.Select(MatchSpec.Parse)], source),
            VirtualPackageDetector.Detect(Subdir, name => Overrides.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(name)),
            priority);
        return CondaSolver.Solve(request, source);
    }

    public override string ToString() => $"line {Line}: {Channel} {Subdir} {string.Join(' ', Specs)}";
}
