using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Krait.Conda.VirtualPackages;

namespace Krait.Conda.Lockfiles;

/// <summary>
/// What a lockfile's <c>metadata.content_hash</c> of one platform covers: the channels in order, the requested specs
/// (sorted, so that reordering the file is no change) and the virtual packages the platform was solved with. The hash
/// is the lowercase hex SHA-256 of that as compact JSON with its keys in a fixed order. conda-lock hashes its own
/// internal model of the same inputs, so a file conda-lock wrote never matches Krait's hash: <c>krait lock --check</c>
/// then says it is stale, and <c>krait lock</c> rewrites it.
/// </summary>
public static class LockContentHash
{
    public static string Compute(IReadOnlyList<string> channels, IEnumerable<string> specs, string platform, IReadOnlyList<VirtualPackage> virtualPackages)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(virtualPackages);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("channels");
            foreach (var channel in channels)
            {
                writer.WriteStringValue(channel);
            }

            writer.WriteEndArray();
            writer.WriteString("platform", platform);
            writer.WriteStartArray("specs");
            foreach (var spec in specs.Order(StringComparer.Ordinal))
            {
                writer.WriteStringValue(spec);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("virtual_packages");
            foreach (var package in virtualPackages.Select(v => v.ToString()).Order(StringComparer.Ordinal))
            {
                writer.WriteStringValue(package);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }
}
