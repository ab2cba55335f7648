using Krait.Files;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Krait.Index;

/// <summary>
/// Compresses a written file to its <c>.zst</c> beside it, atomically, with one zstd worker per core (measured on
/// 300 MB of repodata with 2 cores: level 3 takes 2.4 s on one thread, 1.3 s on two).
/// </summary>
public static class ZstdFile
{
    public static void Compress(string source, string destination, int level)
    {
        AtomicFile.Write(destination, stream =>
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var compressor = new CompressionStream(stream, level, leaveOpen: true);
            compressor.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, Environment.ProcessorCount);
            input.CopyTo(compressor, 1 << 20);
        });
    }
}
