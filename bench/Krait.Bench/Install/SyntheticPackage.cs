using System.Globalization;
using System.Text;
using Krait.Conda.Records;
using Krait.Packages;

namespace Krait.Bench.Install;

/// <summary>
/// A package big enough to measure extraction on (the real ones in the shared data are a few kB): about 40 MB in about
/// 2,000 files, shaped like a compiled python library: many small, very compressible sources, shared objects that
/// compress about 2:1, some incompressible data files, and a few symlinks. A fixed seed makes the same bytes every time,
/// so the archives are made once and reused while their name (which carries the seed and size) stays the same.
/// </summary>
public static class SyntheticPackage
{
    private const int Seed = 42;

    private static readonly string[] Words =
    [
        "def", "return", "self", "import", "from", "class", "if", "else", "for", "in", "None", "True", "False", "array",
        "dtype", "shape", "axis", "value", "index", "result", "np", "data", "kwargs", "args", "raise", "ValueError",
        "lambda", "yield", "with", "as", "try", "except", "len", "range", "isinstance", "float64", "int32", "buffer",
    ];

    /// <summary>Writes the <c>.conda</c> and <c>.tar.bz2</c> of the package into <paramref name="directory"/> unless they are there; returns their paths.</summary>
    public static IReadOnlyList<string> Ensure(string directory, long targetBytes = 40_000_000)
    {
        Directory.CreateDirectory(directory);
        var builder = Describe(targetBytes);
        var formats = new[] { PackageFileName.CondaExtension, PackageFileName.TarBz2Extension };
        var paths = formats.Select(f => Path.GetFullPath(Path.Combine(directory, builder.FileName(f)))).ToList();
        var missing = paths.Where(p => !File.Exists(p)).ToList();

        // One format per core: level-19 zstd and bzip2 of 40 MB each take a while, and this runs once.
        Parallel.ForEach(missing, path => builder.Write(path));
        return paths;
    }

    private static PackageBuilder Describe(long targetBytes)
    {
        var random = new Random(Seed);
        var builder = new PackageBuilder("synthetic-bench", "1.0", string.Create(CultureInfo.InvariantCulture, $"s{Seed}_{targetBytes / 1_000_000}mb"))
        {
            Subdir = "linux-64",
            Timestamp = 1_700_000_000_000,
        };
        long total = 0;
        for (var i = 0; total < targetBytes; i++)
        {
            var module = $"lib/python3.12/site-packages/synthetic/sub{i % 40:D2}";
            var file = (i % 20) switch
            {
                < 12 => PackageFile.Text($"{module}/module_{i:D4}.py", Source(random, random.Next(1_000, 24_000))),
                < 19 => PackageFile.Binary($"{module}/_ext_{i:D4}.cpython-312-x86_64-linux-gnu.so", SharedObject(random, random.Next(4_000, 100_000)), executable: true),
                _ => PackageFile.Binary($"share/synthetic/data/table_{i:D4}.bin", Noise(random, random.Next(20_000, 160_000))),
            };
            builder.Add(file);
            total += file.Content.Length;
        }

        for (var i = 0; i < 10; i++)
        {
            builder.Add(PackageFile.Binary($"lib/libsynthetic{i}.so.1.0", SharedObject(random, 60_000)));
            builder.Add(PackageFile.Symlink($"lib/libsynthetic{i}.so", $"libsynthetic{i}.so.1.0"));
        }

        return builder;
    }

    /// <summary>Python-like text from a small vocabulary: compresses about 4:1, like real sources.</summary>
    private static string Source(Random random, int length)
    {
        var text = new StringBuilder(length + 64);
        while (text.Length < length)
        {
            text.Append(' ', 4 * random.Next(0, 4));
            for (var words = random.Next(2, 10); words > 0; words--)
            {
                text.Append(Words[random.Next(Words.Length)]).Append(random.Next(4) == 0 ? "_" + random.Next(100).ToString(CultureInfo.InvariantCulture) : string.Empty).Append(' ');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Runs of zeros, repeated short patterns and random bytes, as in machine code and its tables.</summary>
    private static byte[] SharedObject(Random random, int length)
    {
        var bytes = new byte[length];
        var position = 0;
        while (position < length)
        {
            var run = Math.Min(length - position, random.Next(16, 512));
            var span = bytes.AsSpan(position, run);
            switch (random.Next(3))
            {
                case 0:
                    break; // zeros
                case 1:
                    var pattern = new byte[random.Next(2, 9)];
                    random.NextBytes(pattern);
                    for (var j = 0; j < run; j++)
                    {
                        span[j] = pattern[j % pattern.Length];
                    }

                    break;
                default:
                    random.NextBytes(span);
                    break;
            }

            position += run;
        }

        return bytes;
    }

    private static byte[] Noise(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
