using System.Buffers;
using System.Text.Json;
using Krait.Conda.Records;

namespace Krait.Index;

/// <summary>
/// A record as it stands in an indented <c>repodata.json</c>, rendered once: the server keeps each record's fragment,
/// so that writing a subdir of 500,000 records is a concatenation, not 500,000 re-serialisations.
/// </summary>
public static class RecordFragments
{
    /// <summary>The compact record indented as <see cref="RepodataDocument"/> places it (two levels deep).</summary>
    public static byte[] Render(byte[] compactRecord) => Render(compactRecord, depth: 2);

    /// <summary>A package record as the index keeps it: compact JSON of its repodata fields, keys sorted.</summary>
    public static byte[] Compact(PackageRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            RecordJson.Write(writer, record, RecordJsonStyle.Repodata);
        }

        return SortedJson.ToBytes(SortedJson.ParseObject(buffer.WrittenSpan, record.FileName));
    }

    /// <summary>A compact JSON value indented as it stands <paramref name="depth"/> levels deep in an indented document.</summary>
    public static byte[] Render(byte[] compactRecord, int depth)
    {
        ArgumentNullException.ThrowIfNull(compactRecord);
        var buffer = new ArrayBufferWriter<byte>(compactRecord.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, SortedJson.Indented))
        {
            SortedJson.Copy(writer, compactRecord);
        }

        // JSON text holds no raw newline inside strings: every newline starts a line to indent.
        var rendered = buffer.WrittenSpan;
        var newlines = rendered.Count((byte)'\n');
        var result = new byte[rendered.Length + (newlines * depth * 2)];
        var at = 0;
        foreach (var b in rendered)
        {
            result[at++] = b;
            if (b == '\n')
            {
                result.AsSpan(at, depth * 2).Fill((byte)' ');
                at += depth * 2;
            }
        }

        return result;
    }
}
