using System.Globalization;
using BenchmarkDotNet.Running;
using Krait.Bench.Repodata;

// krait-bench throughput [--runs N] FILE...     whole-parse MB/s beside JsonSerializer
// krait-bench lazy [--runs N] FILE NAME...      time to load the records of some names from a big repodata
// krait-bench solves [--runs N] KRAIT SOLVES_JSONL CHANNELS_DIR [GENERATED_LARGE_DIR]   whole `krait create --dry-run` per conformance solve
// krait-bench scale [--runs N] CHANNEL[+CHANNEL] PLATFORM SPEC...   one solve in process: index time and solve time
// krait-bench agreement [--runs N] [--verbose] CHANNEL SOLVES_JSONL   in-process solves of a conformance file: identical or not, and solve time
// krait-bench sweep [--runs N] CHANNEL PLATFORM SEED   N random requests solved in process, every environment checked
// krait-bench extract [--runs N] --work DIR [--synthetic DIR] [--batch LABEL ARCHIVE...]...   extraction MB/s beside cph
// krait-bench shard SUBDIR...                   writes CEP-16 shards beside each subdir's repodata.json (for bench/remote.sh)
// krait-bench server-seed HOME CHANNEL REPODATA...   puts every record of the repodata files into a server channel's metadata (no archives)
// krait-bench package OUT_DIR NAME SUBDIR KILOBYTES   writes a .conda of incompressible data (bench/server.sh's files)
// krait-bench <BenchmarkDotNet arguments>       micro-benchmarks (e.g. --filter '*Version*')
var runs = 7;
var rest = new List<string>();
for (var i = 1; i < args.Length; i++)
{
    if (args[i] == "--runs" && i + 1 < args.Length)
    {
        runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
    else
    {
        rest.Add(args[i]);
    }
}

switch (args.FirstOrDefault())
{
    case "throughput":
        ThroughputRunner.Run(rest, runs);
        return 0;
    case "solves":
        Krait.Bench.Solve.SolveRunner.Run(rest[0], rest[1], rest[2], runs, rest.ElementAtOrDefault(3));
        return 0;
    case "scale":
        Krait.Bench.Solve.ScaleRunner.Run(rest[0], rest[1], rest.Skip(2).ToList(), runs);
        return 0;
    case "agreement":
        return Krait.Bench.Solve.AgreementRunner.Run(rest.Where(a => a != "--verbose").ElementAt(0), rest.Where(a => a != "--verbose").ElementAt(1), runs, rest.Contains("--verbose"));
    case "sweep":
        return Krait.Bench.Solve.SweepRunner.Run(rest[0], rest[1], runs, int.Parse(rest[2], CultureInfo.InvariantCulture));
    case "extract":
        Krait.Bench.Install.ExtractRunner.Run(rest, runs);
        return 0;
    case "shard":
        Krait.Bench.Remote.ShardWriter.Run(rest);
        return 0;
    case "server-seed":
        Krait.Bench.Server.ServerSeed.Run(rest[0], rest[1], rest.Skip(2).ToList());
        return 0;
    case "package":
        Krait.Bench.Server.BenchPackage.Run(rest[0], rest[1], rest[2], int.Parse(rest[3], CultureInfo.InvariantCulture));
        return 0;
    case "lazy":
        LazyRunner.Run(rest[0], rest.Skip(1).ToList(), runs);
        return 0;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(ThroughputRunner).Assembly).Run(args);
        return 0;
}
