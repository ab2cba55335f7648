namespace Krait.Bench.Generator;

/// <summary>What to generate: the same seed and target always give the same bytes.</summary>
public sealed record GeneratorOptions(int Seed, int TargetRecords, bool Small = false)
{
    /// <summary>The README's example channel: small enough to commit.</summary>
    public static GeneratorOptions Example(int seed) => new(seed, 0, Small: true);

    /// <summary>≥ 100× the largest shared channel: a linux-64 repodata.json of more than 300 MB.</summary>
    public static GeneratorOptions Large(int seed) => new(seed, 800_000);

    /// <summary>conda-forge scale over linux-64 + noarch.</summary>
    public static GeneratorOptions CondaForge(int seed) => new(seed, 600_000);
}
