using System.Text;
using Krait.Repodata.Parsing;
using Krait.TestSupport;

namespace Krait.Repodata.Tests;

/// <summary>
/// Real repodata damaged at random (bytes flipped, cut, doubled, JSON tokens spliced in), read by the full parser
/// and by the lazy loader: the only outcomes are records or a <see cref="RepodataFormatException"/>, never another
/// exception. Bounded in time; the seed of a failing case is in its message.
/// </summary>
public sealed class RepodataFuzzTests
{
    private static readonly string[] Splices = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\"name\": ", "1e400", "-1", "null", "\"../x\"", "\"\\u0000\"", "\uFEFF", "\"packages\": {}", "true"];

    [Fact]
    public void Damaged_repodata_is_read_or_refused_never_a_crash()
    {
        var original = File.ReadAllBytes(SharedRepodata.PathOf("conda-test-recipes/noarch/repodata.json"));
        using var folder = new TempFolder("fuzz").Create();
        var path = folder.Combine("fuzz.json");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        for (var seed = 1; seed <= 3000 && DateTime.UtcNow < deadline; seed++)
        {
            var damaged = Damage(original, new Random(seed));
            try
            {
                RepodataParser.Parse(damaged, "fuzz.json").Records();
            }
            catch (RepodataFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}: the full parser threw {e}");
            }

            File.WriteAllBytes(path, damaged);
            try
            {
                using var lazy = LazyRepodata.Open(path, "noarch");
                foreach (var name in new[] { "dependency", "dependent", "clobber-a", "nothing" })
                {
                    lazy.RecordsOf(name);
                }
            }
            catch (RepodataFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}: the lazy loader threw {e}");
            }
        }
    }

    private static byte[] Damage(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        for (var edits = random.Next(1, 6); edits > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
                case 2:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Splices[random.Next(Splices.Length)]));
                    break;
                default:
                    var length = Math.Min(random.Next(1, 200), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }

            if (bytes.Count == 0)
            {
                bytes.Add((byte)'{');
            }
        }

        return [.. bytes];
    }
}
