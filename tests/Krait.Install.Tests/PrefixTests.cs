using Krait.Install.Transactions;
using Krait.TestSupport;

namespace Krait.Install.Tests;

public sealed class PrefixTests : IDisposable
{
    private readonly TempFolder scratch = new TempFolder("prefix").Create();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Two_spellings_of_one_folder_are_one_prefix()
    {
        var plain = Prefix.At(scratch.Combine("env"));
        Assert.Equal(plain, Prefix.At(scratch.Combine("env") + Path.DirectorySeparatorChar));
        Assert.Equal(plain, Prefix.At(scratch.Combine("other", "..", "env")));
        Assert.NotEqual(plain, Prefix.At(scratch.Combine("env2")));
        Assert.Equal(plain.GetHashCode(), Prefix.At(scratch.Combine(".", "env")).GetHashCode());
        Assert.Equal(Path.Combine(plain.Path, "conda-meta"), plain.CondaMeta);
        Assert.False(plain.IsEnvironment);
        Assert.Equal("/", Prefix.At("/").Path);
    }

    [Fact]
    public void A_lock_is_the_right_to_change_its_own_prefix_only_while_it_is_held()
    {
        var environment = Prefix.At(scratch.Combine("env"));
        var held = environment.Lock();
        Assert.True(environment.IsEnvironment);
        held.EnsureHolds(Prefix.At(scratch.Combine("env") + "/"));
        var other = Assert.Throws<ArgumentException>(() => held.EnsureHolds(Prefix.At(scratch.Combine("elsewhere"))));
        Assert.Contains("elsewhere", other.Message, StringComparison.Ordinal);

        held.Dispose();
        Assert.Throws<ObjectDisposedException>(() => held.EnsureHolds(environment));
        var plan = TransactionPlan.Compute([], []);
        Assert.Throws<ObjectDisposedException>(() => PrefixTransaction.Execute(plan, held, new TransactionOptions
        {
            Prefix = environment,
            Cache = new Krait.Packages.PackageCache(scratch.Combine("pkgs")),
            Command = "krait test",
            Platform = "linux-64",
        }));
    }
}
