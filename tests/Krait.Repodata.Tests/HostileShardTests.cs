using System.Buffers;
using Krait.Conda.Channels;
using Krait.Repodata.Parsing;
using Krait.Repodata.Remote;
using MessagePack;

namespace Krait.Repodata.Tests;

/// <summary>A shard (CEP-16) is repodata too: a record whose file name or build string is a path is skipped and said, like in repodata.json.</summary>
public sealed class HostileShardTests
{
    private static byte[] Shard(params (string FileName, string Name, string Version, string Build)[] records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(1);
        writer.Write("packages");
        writer.WriteMapHeader(records.Length);
        foreach (var (fileName, name, version, build) in records)
        {
            writer.Write(fileName);
            writer.WriteMapHeader(3);
            writer.Write("name");
            writer.Write(name);
            writer.Write("version");
            writer.Write(version);
            writer.Write("build");
            writer.Write(build);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void A_shard_record_that_is_a_path_is_skipped_with_a_warning()
    {
        var bytes = Shard(
            ("zlib-1.3-0.tar.bz2", "zlib", "1.3", "0"),
            ("../../../x/remote.tar.bz2", "remote", "1", "0"),
            ("zlib-1.2-0.tar.bz2", "zlib", "1.2", "0/../../../outside/buildtrav"));
        var warnings = new List<string>();

        var records = ShardFormat.ReadShard(bytes, RecordOrigin.Of(Channel.Parse("https://example.com/chan"), "linux-64"), null, "linux-64", "the shard of zlib", warnings);

        Assert.Equal(["zlib-1.3-0.tar.bz2"], records.Select(r => r.FileName));
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("../../../x/remote.tar.bz2", StringComparison.Ordinal) && w.StartsWith("the shard of zlib", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("build string", StringComparison.Ordinal));
    }
}
