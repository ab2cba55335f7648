using System.Runtime.CompilerServices;
using System.Text;

namespace Krait.Repodata.Parsing;

/// <summary>
/// Interns short UTF-8 strings without decoding them first: repodata repeats the same dependency strings,
/// licenses, subdirs and versions tens of thousands of times, and sharing one string per value keeps both the
/// allocation rate of the parser and the memory of the loaded channel down. Hand-written because the
/// BCL's dictionaries need a decoded key before they can look one up.
/// </summary>
internal sealed class Utf8StringPool
{
    private const int MaxInternedLength = 96;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private int[] buckets = new int[4096]; // entry index + 1; 0 = empty
    private Entry[] entries = new Entry[2048];
    private int count;

    private struct Entry
    {
        public int Hash;
        public byte[] Utf8;
        public string Value;
    }

    /// <summary>Decodes <paramref name="utf8"/>, returning the shared instance when the value was seen before.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxInternedLength)
        {
            return Decode(utf8);
        }

        var hash = Hash(utf8);
        var mask = buckets.Length - 1;
        var bucket = hash & mask;
        while (true)
        {
            var slot = buckets[bucket];
            if (slot == 0)
            {
                break;
            }

            ref var entry = ref entries[slot - 1];
            if (entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }

            bucket = (bucket + 1) & mask;
        }

        var value = Decode(utf8);
        Add(hash, utf8.ToArray(), value, bucket);
        return value;
    }

    public static string Decode(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? string.Empty : StrictUtf8.GetString(utf8);

    private void Add(int hash, byte[] utf8, string value, int bucket)
    {
        if (count == entries.Length)
        {
            Array.Resize(ref entries, entries.Length * 2);
        }

        entries[count] = new Entry { Hash = hash, Utf8 = utf8, Value = value };
        buckets[bucket] = ++count;
        if (count * 2 > buckets.Length)
        {
            Rehash();
        }
    }

    private void Rehash()
    {
        buckets = new int[buckets.Length * 2];
        var mask = buckets.Length - 1;
        for (var i = 0; i < count; i++)
        {
            var bucket = entries[i].Hash & mask;
            while (buckets[bucket] != 0)
            {
                bucket = (bucket + 1) & mask;
            }

            buckets[bucket] = i + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        // FNV-1a over 8-byte words, then the tail; short repodata strings make this cheaper than a general hash.
        var hash = 14695981039346656037UL;
        var words = utf8.Length >> 3;
        for (var i = 0; i < words; i++)
        {
            hash = (hash ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.AsRef(in utf8[i << 3]))) * 1099511628211UL;
        }

        for (var i = words << 3; i < utf8.Length; i++)
        {
            hash = (hash ^ utf8[i]) * 1099511628211UL;
        }

        hash ^= hash >> 29;
        return (int)hash & int.MaxValue;
    }
}
