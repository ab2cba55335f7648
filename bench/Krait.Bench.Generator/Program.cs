using System.Diagnostics;
using System.Globalization;
using Krait.Bench.Generator;

// krait-channel-gen --preset example|large|conda-forge [--records N] [--seed S] --out DIR
var preset = "example";
var seed = 42;
int? recordCount = null;
string? output = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--preset" when i + 1 < args.Length:
            preset = args[++i];
            break;
        case "--seed" when i + 1 < args.Length:
            seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--records" when i + 1 < args.Length:
            recordCount = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        default:
            Console.Error.WriteLine($"error: unknown argument '{args[i]}'");
            Console.Error.WriteLine("usage: krait-channel-gen --preset example|large|conda-forge [--records N] [--seed S] --out DIR");
            return 2;
    }
}

if (output is null)
{
    Console.Error.WriteLine("error: --out DIR is required");
    return 2;
}

var options = preset switch
{
    "example" => GeneratorOptions.Example(seed),
    "large" => GeneratorOptions.Large(seed),
    "conda-forge" => GeneratorOptions.CondaForge(seed),
    _ => null,
};
if (options is null)
{
    Console.Error.WriteLine($"error: unknown preset '{preset}' (example, large, conda-forge)");
    return 2;
}

if (recordCount is { } count)
{
    options = options with { TargetRecords = count };
}

var clock = Stopwatch.StartNew();
var counts = SyntheticChannel.Write(output, options);
foreach (var (subdir, records) in counts)
{
    var size = new FileInfo(Path.Combine(output, subdir, "repodata.json")).Length;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{subdir}: {records} records, {size / 1e6:F1} MB"));
}

if (options.Archives)
{
    var archives = counts.Keys
        .SelectMany(subdir => Directory.EnumerateFiles(Path.Combine(output, subdir)))
        .Where(f => f.EndsWith(".conda", StringComparison.Ordinal) || f.EndsWith(".tar.bz2", StringComparison.Ordinal))
        .Select(f => new FileInfo(f).Length)
        .ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"archives: {archives.Count} packages, {archives.Sum() / 1e3:F0} kB"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated in {clock.Elapsed.TotalSeconds:F1} s (seed {options.Seed})"));
return 0;
