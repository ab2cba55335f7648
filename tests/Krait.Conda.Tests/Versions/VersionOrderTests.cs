using Krait.Conda.Versions;
using Krait.TestSupport;

namespace Krait.Conda.Tests.Versions;

public class VersionOrderTests
{
    private static readonly Lazy<Version[]> RealWorld = new(() =>
        File.ReadLines(Path.Combine(RepoPaths.Data, "versions", "real-world-versions.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(Version.Parse)
            .ToArray());

    [Theory]
    // conda's documented order: dev < words < (release) < post; numbers compare numerically.
    [InlineData("0.4", "0.4.1")]
    [InlineData("0.4.1.rc", "0.4.1")]
    [InlineData("0.4.1.dev", "0.4.1.a")]
    [InlineData("0.4.1dev", "0.4.1a")]
    [InlineData("1.0a1", "1.0b1")]
    [InlineData("1.0b1", "1.0rc1")]
    [InlineData("1.0rc1", "1.0")]
    [InlineData("1.0", "1.0post1")]
    [InlineData("1.0", "1.0.post1")]
    [InlineData("1.1dev1", "1.1a1")]
    [InlineData("1.1_", "1.1a")]
    [InlineData("1.1a", "1.1")]
    [InlineData("1.9", "1.10")]
    [InlineData("1.2", "1!0.1")]
    [InlineData("1.0+abc", "1.0+abd")]
    [InlineData("1.0", "1.0+1")]
    [InlineData("1.0.1_", "1.0.1")]
    [InlineData("1.0.1_", "1.0.1a")]
    [InlineData("0.9.8zh", "1.0.0")]
    [InlineData("1.0.1a", "1.0.1b")]
    [InlineData("9", "10")]
    [InlineData("99999999999999999999", "100000000000000000000")]
    [InlineData("1.*", "1.0")]
    public void Orders_like_conda(string lower, string higher)
    {
        var low = Version.Parse(lower);
        var high = Version.Parse(higher);
        Assert.True(low < high, $"{lower} < {higher}");
        Assert.True(high > low);
        Assert.NotEqual(low, high);
    }

    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.0", "1.0.0.0")]
    [InlineData("1.0", "0!1.0")]
    [InlineData("1.0A", "1.0a")]
    [InlineData("1.0-1", "1.0_1")]
    [InlineData("1.0-1", "1.0.1")]
    [InlineData("01.2", "1.2")]
    [InlineData("1.0RC1", "1.0rc1")]
    public void Treats_as_equal_like_conda(string left, string right)
    {
        var a = Version.Parse(left);
        var b = Version.Parse(right);
        Assert.Equal(a, b);
        Assert.Equal(0, a.CompareTo(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(left, a.ToString());
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("1.2 3", 3, "invalid character ' '")]
    [InlineData("1.2<3", 3, "invalid character '<'")]
    [InlineData("1!2!3", 3, "duplicated epoch")]
    [InlineData("a!1", 0, "epoch")]
    [InlineData("1+2+3", 3, "duplicated local")]
    [InlineData("1..2", 2, "empty version component")]
    [InlineData("1.0-rc_1", 3, "'-' is allowed only")]
    [InlineData("1.2=3", 3, "invalid character '='")]
    public void Rejects_invalid_versions_with_position_and_reason(string text, int position, string reason)
    {
        var error = Assert.Throws<InvalidVersionException>(() => Version.Parse(text));
        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(Version.TryParse(text, out _));
    }

    [Fact]
    public void Real_world_versions_form_a_total_order_consistent_with_equality_and_hashing()
    {
        var versions = RealWorld.Value;
        Assert.True(versions.Length > 28_000);
        var random = new Random(20261124);
        for (var round = 0; round < 200_000; round++)
        {
            var a = versions[random.Next(versions.Length)];
            var b = versions[random.Next(versions.Length)];
            var c = versions[random.Next(versions.Length)];
            var ab = a.CompareTo(b);
            Assert.Equal(-Math.Sign(ab), Math.Sign(b.CompareTo(a)));
            Assert.Equal(ab == 0, a.Equals(b));
            if (ab == 0)
            {
                Assert.Equal(a.GetHashCode(), b.GetHashCode());
            }

            if (ab <= 0 && b.CompareTo(c) <= 0)
            {
                Assert.True(a.CompareTo(c) <= 0, $"not transitive: {a} <= {b} <= {c} but {a} > {c}");
            }
        }
    }

    [Fact]
    public void Sorting_real_world_versions_gives_an_order_where_every_neighbour_pair_is_ordered()
    {
        var sorted = RealWorld.Value.ToArray();
        Array.Sort(sorted);
        for (var i = 1; i < sorted.Length; i++)
        {
            Assert.True(sorted[i - 1] <= sorted[i], $"{sorted[i - 1]} > {sorted[i]}");
        }

        // Sorting a shuffled copy gives the same order of equivalence classes.
        var shuffled = RealWorld.Value.ToArray();
        new Random(7).Shuffle(shuffled);
        Array.Sort(shuffled);
        for (var i = 0; i < sorted.Length; i++)
        {
            Assert.Equal(0, sorted[i].CompareTo(shuffled[i]));
        }
    }

    [Theory]
    [InlineData("1.2.3", "1.2", true)]
    [InlineData("1.2", "1.2", true)]
    [InlineData("1.20", "1.2", false)]
    [InlineData("0.20", "0.2", false)]
    [InlineData("1.2.0", "1.2.0", true)]
    [InlineData("1.3", "1.2", false)]
    [InlineData("1.0a1", "1.0a", true)]
    [InlineData("1.0alpha1", "1.0a", true)]
    [InlineData("1.0b1", "1.0a", false)]
    [InlineData("3.6.3", "3", true)]
    [InlineData("36.1", "3", false)]
    [InlineData("1.2+abc.1", "1.2+abc", true)]
    [InlineData("1.2+abd", "1.2+abc", false)]
    public void Prefix_matching_is_component_wise(string version, string prefix, bool expected) =>
        Assert.Equal(expected, Version.Parse(version).StartsWith(Version.Parse(prefix)));
}
