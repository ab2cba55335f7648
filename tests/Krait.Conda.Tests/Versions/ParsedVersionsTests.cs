using Krait.Conda.Versions;
using Krait.TestSupport;

namespace Krait.Conda.Tests.Versions;

/// <summary>Every line of conda's own parse of ≈28,500 real versions must come out the same.</summary>
public class ParsedVersionsTests
{
    [Fact]
    public void Every_version_parses_exactly_as_conda_parses_it()
    {
        var path = Path.Combine(RepoPaths.Data, "versions", "conda-parsed-versions.txt");
        var mismatches = new List<string>();
        var checkedLines = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            // The version itself may not contain '=', so the first '=' separates it from conda's parse.
            var split = line.IndexOf('=', StringComparison.Ordinal);
            var text = line[..split];
            var expected = line[(split + 1)..];
            checkedLines++;
            string actual;
            try
            {
                actual = Version.Parse(text).ToParsedString();
            }
            catch (InvalidVersionException e)
            {
                actual = "error: " + e.Message;
            }

            if (actual != expected)
            {
                mismatches.Add($"{text}: expected {expected}, got {actual}");
            }
        }

        Assert.True(checkedLines > 28_000, $"only {checkedLines} lines read");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, first ones:\n{string.Join('\n', mismatches.Take(20))}");
    }
}
