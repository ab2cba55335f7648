using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Conda.VirtualPackages;
using Krait.Solve.Conda;

namespace Krait.Solve.Tests;

public class CondaSolverTests
{
    /// <summary>
    /// A tiny in-memory channel: each entry is "[subdir/]name version build [priority];depends&amp;…;constrains&amp;…;track_features",
    /// listed in the given order in its subdir (linux-64 unless said).
    /// </summary>
    private sealed class Channel(params string[] records) : IPackageSource
    {
        private readonly List<Candidate> candidates = [.. records.Select(Parse)];

        public IReadOnlyList<Candidate> CandidatesOf(string name) => [.. candidates.Where(c => c.Record.Name == name)];

        private static Candidate Parse(string text, int place)
        {
            var parts = text.Split(';');
            var head = parts[0].Split(' ');
            var (subdir, name) = head[0].IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? (head[0][..slash], head[0][(slash + 1)..]) : ("linux-64", head[0]);
            var priority = head.Length > 3 ? int.Parse(head[3], System.Globalization.CultureInfo.InvariantCulture) : 0;
            return new Candidate(
                new PackageRecord
                {
                    Name = name,
                    Version = head[1],
                    Build = head[2],
                    FileName = $"{name}-{head[1]}-{head[2]}.conda",
                    Depends = parts.Length > 1 && parts[1].Length > 0 ? parts[1].Split('&') : [],
                    Constrains = parts.Length > 2 && parts[2].Length > 0 ? parts[2].Split('&') : [],
                    TrackFeatures = parts.Length > 3 ? parts[3] : null,
                    Subdir = subdir,
                    DownloadBaseUrl = $"file:///channel/{subdir}",
                },
                priority,
                place);
        }
    }

    private static SolveResult Solve(Channel channel, string specs, ChannelPriority priority = ChannelPriority.Strict, params VirtualPackage[] virtuals) =>
        CondaSolver.Solve(new SolveRequest([.. specs.Split(' ').Select(MatchSpec.Parse)], virtuals, priority), channel);

    private static string Names(SolveResult result) => string.Join(' ', result.Records.Select(r => $"{r.Name}-{r.Version}"));

    [Fact]
    public void Picks_the_highest_versions_that_fit_together()
    {
        var channel = new Channel(
            "app 2.0 0;lib >=2",
            "app 1.0 0;lib 1.*",
            "lib 2.0 0;",
            "lib 1.5 0;",
            "other 1.0 0;lib 1.*");
        Assert.Equal("app-2.0 lib-2.0", Names(Solve(channel, "app")));
        Assert.Equal("app-1.0 lib-1.5 other-1.0", Names(Solve(channel, "app other")));
    }

    [Fact]
    public void Track_features_are_avoided_unless_asked_for()
    {
        var channel = new Channel("blas 2.0 mkl;;;mkl", "blas 1.0 openblas;");
        Assert.Equal("blas-1.0", Names(Solve(channel, "blas")));
        Assert.Equal("blas-2.0", Names(Solve(channel, "blas=*=mkl")));
    }

    [Fact]
    public void Constrains_limit_what_may_be_installed_beside()
    {
        var channel = new Channel("a 1.0 0;b;c <2", "b 1.0 0;c", "c 2.0 0;", "c 1.0 0;");
        Assert.Equal("a-1.0 b-1.0 c-1.0", Names(Solve(channel, "a")));
        Assert.Equal("b-1.0 c-2.0", Names(Solve(channel, "b")));
    }

    [Fact]
    public void Strict_priority_takes_a_name_only_from_the_first_channel_that_has_it()
    {
        var channel = new Channel("a 1.0 0 0;", "a 2.0 0 1;", "b 1.0 0 1;");
        Assert.Equal("a-1.0", Names(Solve(channel, "a")));
        Assert.Equal("a-2.0", Names(Solve(channel, "a", ChannelPriority.Disabled)));
        Assert.False(Solve(channel, "a>=2").IsSatisfiable);
        Assert.Equal("a-2.0 b-1.0", Names(Solve(channel, "a>=2 b", ChannelPriority.Flexible)));
    }

    [Fact]
    public void Virtual_packages_satisfy_dependencies_and_are_not_installed()
    {
        var channel = new Channel("cuda-app 2.0 0;__cuda >=11", "cuda-app 1.0 0;__cuda >=10");
        var result = Solve(channel, "cuda-app", ChannelPriority.Strict, new VirtualPackage("__cuda", "10.2", "0"));
        Assert.Equal("cuda-app-1.0", Names(result));
    }

    [Fact]
    public void A_missing_package_is_named_in_the_explanation()
    {
        var channel = new Channel("app 1.0 0;ghost >=1");
        var missing = Solve(channel, "nothing-like-it");
        Assert.False(missing.IsSatisfiable);
        Assert.Contains("nothing-like-it: no channel has a package that matches", missing.Explanation, StringComparison.Ordinal);

        var ghost = Solve(channel, "app");
        Assert.False(ghost.IsSatisfiable);
        Assert.Contains("nothing provides ghost >=1 needed by app 1.0", ghost.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_conflict_names_the_requests_and_the_dependency_that_joins_them()
    {
        var channel = new Channel("pandas 0.20.3 0;numpy >=1.9,<1.13", "pandas 0.20.2 0;numpy >=1.9,<1.13", "numpy 1.15.0 0;", "numpy 1.12.0 0;");
        var result = Solve(channel, "pandas=0.20 numpy=1.15");
        Assert.False(result.IsSatisfiable);
        Assert.Contains("\n  pandas=0.20\n    └─ pandas 0.20.2, 0.20.3 needs numpy >=1.9,<1.13", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("conflict: only one numpy can be installed, but these need different ones: numpy >=1.9,<1.13; numpy=1.15", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Pip_joins_python_only_from_a_subdir_that_has_pip_or_when_python_is_asked_for()
    {
        var split = new Channel("python 3.12.1 0", "numpy 2.0.0 0;python >=3.12", "noarch/pip 24.0 0;python >=3.8");
        var together = new Channel("python 3.12.1 0", "numpy 2.0.0 0;python >=3.12", "pip 24.0 0;python >=3.8");
        SolveResult Run(IPackageSource source, string specs) =>
            CondaSolver.Solve(new SolveRequest(PipDependency.Requested([.. specs.Split(' ').Select(MatchSpec.Parse)], source), []), source);

        Assert.Equal("numpy-2.0.0 python-3.12.1", Names(Run(split, "numpy")));
        Assert.Equal("numpy-2.0.0 pip-24.0 python-3.12.1", Names(Run(together, "numpy")));
        Assert.Equal("pip-24.0 python-3.12.1", Names(Run(split, "python")));
        Assert.Equal("python-3.12.1", Names(Run(new Channel("python 3.12.1 0"), "python")));
        Assert.Equal("numpy-2.0.0 python-3.12.1", Names(CondaSolver.Solve(new SolveRequest([MatchSpec.Parse("numpy")], []) { AddPipAsPythonDependency = false }, together)));
    }

    [Fact]
    public void Variants_of_one_build_are_ordered_by_what_their_dependencies_allow_then_by_timestamp()
    {
        // libsolv's conda comparison: numpy's py313 build allows a newer python than its py312 build; two builds that
        // differ only in a dependency nothing constrains further go by timestamp.
        var channel = new Channel("python 3.12.3 0", "python 3.13.1 0", "numpy 2.0.0 py312;python >=3.12,<3.13", "numpy 2.0.0 py313;python >=3.13,<3.14");
        var result = CondaSolver.Solve(new SolveRequest([MatchSpec.Parse("numpy")], []), channel);
        Assert.Equal("numpy-2.0.0 python-3.13.1", Names(result));
        Assert.Equal("py313", result.Records.Single(r => r.Name == "numpy").Build);
    }
}
