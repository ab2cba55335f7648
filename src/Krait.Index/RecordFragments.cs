using System.Buffers;
using System.Text.Json;

namespace Krait.Index;

/// <summary>
/// A record as it stands in an indented <c>repodata.json</c>, rendered once: the server keeps each record's fragment,
/// so that writing a subdir of 500,000 records is a concatenation, not 500,000 re-serialisations.
/// </summary>
public static class RecordFragments
{
    private const int Depth = 2;

    /// <summary>The compact record indented as <see cref="RepodataDocument"/> places it (two levels deep).</summary>
    public static byte[] Render(byte[] compactRecord)
    {
        var buffer = new ArrayBufferWriter<byte>(compactRecord.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, SortedJson.Indented))
        {
            SortedJson.Copy(writer, compactRecord);
        }

        // JSON text holds no raw newline inside strings: every newline starts a line to indent.
        var rendered = buffer.WrittenSpan;
        var newlines = rendered.Count((byte)'\n');
        var result = new byte[rendered.Length + (newlines * Depth * 2)];
        var at = 0;
        foreach (var b in rendered)
        {
            result[at++] = b;
            if (b == '\n')
            {
                result.AsSpan(at, Depth * 2).Fill((byte)' ');
                at += Depth * 2;
            }
        }

        return result;
    }
}
