using System.Security.Cryptography;
using Krait.Bench.Generator;
using Krait.Repodata.Query;
using Krait.TestSupport;

namespace Krait.Solve.Tests;

/// <summary>
/// The channel ../shared/conformance/solves-large.jsonl was recorded on (<c>generated-large-seed42</c>): the generator's
/// large preset with seed 42, written once for the tests that share it, and opened once.
/// </summary>
public sealed class LargeChannel : IDisposable
{
    /// <summary>The sha256 of each subdir's repodata.json the recorded answers belong to.</summary>
    public static readonly IReadOnlyDictionary<string, string> RecordedHashes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["linux-64"] = "e34c6c152aed4f935de10fdd47642fbd93ee66a6218b66d093f181faa4dc0f7d",
        ["noarch"] = "f46a4c8da25fc5a09264fce26b0b25af2a0ba6f21071cb340bd626e229aedaf7",
    };

    private readonly TempFolder folder = new("large-seed42");
    private readonly Dictionary<string, ChannelPackageSource> sources = new(StringComparer.Ordinal);

    public LargeChannel()
    {
        SyntheticChannel.Write(Path, GeneratorOptions.Large(42));
    }

    public string Path => System.IO.Path.Combine(folder, "channel");

    public string Sha256(string subdir) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(System.IO.Path.Combine(Path, subdir, "repodata.json"))));

    /// <summary>The channel's records for <paramref name="subdir"/>, opened once and shared (the tests using it run one at a time).</summary>
    public ChannelPackageSource Source(string subdir)
    {
        if (!sources.TryGetValue(subdir, out var source))
        {
            source = new ChannelPackageSource([Krait.Conda.Channels.Channel.Parse(Path)], subdir);
            sources[subdir] = source;
        }

        return source;
    }

    public void Dispose()
    {
        foreach (var source in sources.Values)
        {
            source.Dispose();
        }

        folder.Dispose();
    }
}
