using Krait.TestSupport;

namespace Krait.Packages.Tests;

/// <summary>
/// Real archives of both formats damaged at random (bytes flipped, cut short, blocks repeated): extraction ends in
/// a whole folder or a <see cref="HostileArchiveException"/>, never another exception, never a half-written
/// destination, and nothing beside it changes. Bounded in time; the seed of a failing case is in its message.
/// </summary>
public sealed class ArchiveFuzzTests
{
    private static readonly string[] Seeds =
    [
        "channels/zlib-formats/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2",
        "packages/link-scripts/link-scripts-0.1.0-h4616a5c_0.conda",
        "channels/conda-test-recipes/noarch/clobber-a-1.0-0.conda",
    ];

    [Fact]
    public void Damaged_archives_extract_whole_or_are_refused()
    {
        using var workspace = new HostileWorkspace();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        for (var seed = 1; seed <= 600 && DateTime.UtcNow < deadline; seed++)
        {
            var random = new Random(seed);
            var source = Seeds[seed % Seeds.Length];
            var bytes = Damage(File.ReadAllBytes(Path.Combine(RepoPaths.Data, source)), random);
            var archive = Path.Combine(workspace.Root, "fuzz", Path.GetFileName(source));
            Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
            File.WriteAllBytes(archive, bytes);
            var destination = Path.Combine(workspace.Root, "fuzz", $"out-{seed}");
            try
            {
                PackageExtractor.Extract(archive, destination);
            }
            catch (HostileArchiveException)
            {
                Assert.False(Directory.Exists(destination), $"seed {seed}: a refused archive left {destination}");
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} ({source}): {e.GetType().Name}: {e.Message}");
            }

            Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(archive)!), p => p.Contains(".extracting-", StringComparison.Ordinal));
            Assert.True(workspace.CanaryChanges().Count == 0, $"seed {seed}: the canary changed");
            if (Directory.Exists(destination))
            {
                Directory.Delete(destination, recursive: true);
            }
        }
    }

    private static byte[] Damage(byte[] original, Random random)
    {
        var bytes = original.ToList();
        switch (random.Next(3))
        {
            case 0:
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 1:
                var cut = random.Next(bytes.Count);
                bytes.RemoveRange(cut, Math.Min(1 + random.Next(bytes.Count / 4), bytes.Count - cut));
                break;
            default:
                var start = random.Next(bytes.Count);
                bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(start, Math.Min(512, bytes.Count - start)));
                break;
        }

        return [.. bytes];
    }
}
