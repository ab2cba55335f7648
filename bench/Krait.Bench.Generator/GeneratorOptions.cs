namespace Krait.Bench.Generator;

/// <summary>What to generate: the same seed and target always give the same bytes.</summary>
/// <param name="Archives">Also write a real, tiny package archive for every record, with its true size and hashes in repodata.</param>
public sealed record GeneratorOptions(int Seed, int TargetRecords, bool Small = false, bool Archives = false)
{
    /// <summary>The README's example channel: small enough to commit, with installable archives.</summary>
    public static GeneratorOptions Example(int seed) => new(seed, 0, Small: true, Archives: true);

    /// <summary>≥ 100× the largest shared channel: a linux-64 repodata.json of more than 300 MB.</summary>
    public static GeneratorOptions Large(int seed) => new(seed, 800_000);

    /// <summary>conda-forge scale over linux-64 + noarch.</summary>
    public static GeneratorOptions CondaForge(int seed) => new(seed, 600_000);
}
