using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SharpCompress.Compressors.BZip2;
using ZstdSharp;
using CompressionMode = SharpCompress.Compressors.CompressionMode;

namespace Krait.Repodata.Remote;

/// <summary>
/// The on-disk cache of remote repodata (conda keeps its in <c>pkgs/cache</c>): per subdir URL, the decompressed
/// <c>repodata.json</c> and a small state file with the server's validators. Files are replaced by rename only, so a
/// reader that has one memory-mapped keeps a whole file, and a crash leaves the old copy.
/// </summary>
public sealed class RepodataCache(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Where a content-addressed shard is kept: its sha256 names it, so it never goes stale.</summary>
    public string ShardPath(string sha256) => Path.Combine(Directory, "shards", sha256 + ".msgpack.zst");

    /// <summary>The entry of one subdir URL (the token is part of the key, never of a file name).</summary>
    public CacheEntry Entry(string subdirUrl)
    {
        ArgumentNullException.ThrowIfNull(subdirUrl);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subdirUrl.TrimEnd('/'))))[..32];
        return new CacheEntry(Path.Combine(Directory, key));
    }

    public sealed class CacheEntry(string stem)
    {
        public string RepodataPath => stem + ".json";

        public bool HasRepodata => File.Exists(RepodataPath);

        public CacheState? ReadState() => CacheState.Read(stem + ".state.json");

        public void WriteState(CacheState state)
        {
            ArgumentNullException.ThrowIfNull(state);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(stem)!);
            state.Write(stem + ".state.json");
        }

        /// <summary>
        /// Replaces the cached repodata with <paramref name="body"/> (compressed as <paramref name="variant"/> says):
        /// downloaded, decompressed and checked first; an <see cref="InvalidDataException"/> (retried by the fetcher)
        /// when the body is cut short or is not one JSON document, and the cached copy is left as it was.
        /// </summary>
        public void Replace(Stream body, string variant, string label)
        {
            ArgumentNullException.ThrowIfNull(body);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(stem)!);
            var partial = $"{stem}.json.partial-{Guid.NewGuid():N}";
            try
            {
                using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    try
                    {
                        using var decoded = Decode(body, variant);
                        decoded.CopyTo(output, 1 << 16);
                    }
                    catch (Exception e) when (e is ZstdException or SharpCompress.Common.SharpCompressException or EndOfStreamException)
                    {
                        throw new InvalidDataException($"{label} is damaged or cut short ({e.Message})", e);
                    }
                }

                if (!IsOneJsonDocument(partial))
                {
                    throw new InvalidDataException($"{label} is not a whole JSON document (cut short or damaged on the way)");
                }

                File.Move(partial, RepodataPath, overwrite: true);
            }
            finally
            {
                File.Delete(partial);
            }
        }

        /// <summary>The cached file of a non-JSON document (the shard index), kept as served.</summary>
        public string RawPath => stem + ".bin";

        public bool HasRaw => File.Exists(RawPath);

        /// <summary>Replaces the raw document after <paramref name="isValid"/> accepts the downloaded bytes.</summary>
        public void ReplaceRaw(Stream body, Func<byte[], bool> isValid, string label)
        {
            ArgumentNullException.ThrowIfNull(body);
            ArgumentNullException.ThrowIfNull(isValid);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(stem)!);
            using var buffer = new MemoryStream();
            body.CopyTo(buffer);
            var bytes = buffer.ToArray();
            if (!isValid(bytes))
            {
                throw new InvalidDataException($"{label} is damaged or cut short");
            }

            var partial = $"{RawPath}.partial-{Guid.NewGuid():N}";
            File.WriteAllBytes(partial, bytes);
            File.Move(partial, RawPath, overwrite: true);
        }

        private static Stream Decode(Stream body, string variant) => variant switch
        {
            "repodata.json.zst" => new DecompressionStream(body, leaveOpen: true),
            "repodata.json.bz2" => BZip2Stream.Create(body, CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: true, tolerateTruncatedStream: false),
            _ => new NonClosing(body),
        };

        /// <summary>A streaming check that the file is exactly one JSON value (repodata can be hundreds of MB).</summary>
        private static bool IsOneJsonDocument(string path)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
                var pending = 0;
                var sawValue = false;
                while (true)
                {
                    var read = file.Read(buffer, pending, buffer.Length - pending);
                    var final = read == 0;
                    var reader = new Utf8JsonReader(buffer.AsSpan(0, pending + read), final, state);
                    try
                    {
                        while (reader.Read())
                        {
                            sawValue = true;
                        }
                    }
                    catch (JsonException)
                    {
                        return false;
                    }

                    if (final)
                    {
                        return sawValue && reader.CurrentDepth == 0 && reader.BytesConsumed == pending + read;
                    }

                    state = reader.CurrentState;
                    pending = (int)(pending + read - reader.BytesConsumed);
                    if (pending == buffer.Length)
                    {
                        return false; // a single token longer than the buffer: not repodata
                    }

                    buffer.AsSpan((int)reader.BytesConsumed, pending).CopyTo(buffer);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The body as it is, without closing the response stream twice.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
