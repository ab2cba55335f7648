using System.Diagnostics;
using Krait.Conda.Records;
using Krait.Index;
using Krait.Repodata.Parsing;
using Krait.Server.Home;
using Krait.Server.Metadata;

namespace Krait.Bench.Server;

/// <summary>
/// Fills a server channel's metadata with the records of real or generated repodata (no archives: publication and
/// serving of indexes need only the rows), so that upload-to-visible can be measured on a channel of 500,000 records.
/// </summary>
internal static class ServerSeed
{
    public static void Run(string homePath, string channel, IReadOnlyList<string> repodataFiles)
    {
        var home = ServerHome.Open(Path.GetFullPath(homePath));
        var store = home.OpenMetadata();
        var started = Stopwatch.StartNew();
        var total = 0;
        foreach (var file in repodataFiles)
        {
            var repodata = RepodataParser.ParseFile(file);
            var rows = repodata.TarBz2Packages.Concat(repodata.CondaPackages).Select(record => Row(channel, repodata.Subdir ?? "noarch", record)).ToList();
            store.PutFiles(rows);
            total += rows.Count;
        }

        Console.WriteLine($"seeded {total} records into {channel} in {started.Elapsed.TotalSeconds:0.0} s");
    }

    private static PackageFileRow Row(string channel, string subdir, PackageRecord record)
    {
        return new PackageFileRow
        {
            Channel = channel,
            Subdir = record.Subdir ?? subdir,
            Filename = record.FileName,
            Label = "main",
            Name = record.Name,
            Version = record.Version,
            Sha256 = record.Sha256 ?? string.Empty,
            Size = record.Size ?? 0,
            Timestamp = record.Timestamp ?? 0,
            Record = RecordFragments.Compact(record),
            Uploader = "seed",
            Uploaded = MetadataStore.Now(),
        };
    }
}
