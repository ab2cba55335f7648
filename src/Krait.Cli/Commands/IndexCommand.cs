using System.CommandLine;
using Krait.Cli.Output;
using Krait.Index;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait index DIR [--subdir S]... [--no-shards] [--no-zst] [--base-url URL] [--patch-package NAME] [--json]</c>:
/// makes a folder of packages a channel (conda-index's job): repodata.json and .zst, CEP-16 shards,
/// run_exports.json and channeldata.json, incrementally and atomically. Archives that cannot be indexed are named on
/// stderr with the reason, and make the exit code 1 once everything else is written.
/// </summary>
public static class IndexCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("dir") { Description = "the channel folder, holding subdir folders (linux-64/, noarch/…) of .conda and .tar.bz2 files" };
        var subdirs = new Option<string[]>("--subdir", "-s") { Description = "index only this subdir (and noarch); repeatable; default: every subdir folder" };
        var noShards = new Option<bool>("--no-shards") { Description = "do not write CEP-16 sharded repodata" };
        var noZst = new Option<bool>("--no-zst") { Description = "do not write repodata.json.zst" };
        var baseUrl = new Option<string?>("--base-url") { Description = "where the packages are served from (CEP-15 base_url; makes repodata_version 2)" };
        var patchPackage = new Option<string?>("--patch-package") { Description = "the name of a package in noarch/ holding SUBDIR/patch_instructions.json (rattler-index's repodata patches)" };
        var json = new Option<bool>("--json") { Description = "print what was indexed as JSON" };
        var command = new Command("index", "Index a folder of packages into a channel (repodata, shards, channeldata).")
        {
            folder, subdirs, noShards, noZst, baseUrl, patchPackage, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () =>
            {
                var options = new IndexOptions
                {
                    Subdirs = parse.GetValue(subdirs) ?? [],
                    Shards = !parse.GetValue(noShards),
                    Zstd = !parse.GetValue(noZst),
                    BaseUrl = parse.GetValue(baseUrl),
                    PatchPackage = parse.GetValue(patchPackage),
                };
                var report = Index(parse.GetValue(folder)!, options);
                Print(report, asJson);
                return report.Skipped.Count == 0 ? 0 : 1;
            });
        });
        return command;
    }

    private static IndexReport Index(string folder, IndexOptions options)
    {
        if (options.BaseUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            throw new KraitException("ArgumentError", $"--base-url '{url}' is not an absolute URL", "give where the channel is served, e.g. https://repo.example.com/mychannel");
        }

        try
        {
            return ChannelIndexer.Index(folder, options);
        }
        catch (InvalidDataException e)
        {
            throw new KraitException("CondaIndexError", e.Message, "fix the patch instructions (conda-index's patch_instructions_version 1) or remove them");
        }
        catch (FileNotFoundException e)
        {
            throw new KraitException("CondaIndexError", e.Message);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new KraitException("CondaIndexError", e.Message);
        }
    }

    private static void Print(IndexReport report, bool json)
    {
        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("success", report.Skipped.Count == 0);
                w.WriteStartObject("subdirs");
                foreach (var subdir in report.Subdirs)
                {
                    w.WriteStartObject(subdir.Subdir);
                    w.WriteNumber("records", subdir.Records);
                    w.WriteNumber("read", subdir.Read);
                    w.WriteNumber("reused", subdir.Reused);
                    w.WriteNumber("removed", subdir.Removed);
                    w.WriteNumber("shards_written", subdir.ShardsWritten);
                    w.WriteBoolean("patched", subdir.Patched);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteStartArray("skipped");
                foreach (var skipped in report.Skipped)
                {
                    w.WriteStartObject();
                    w.WriteString("subdir", skipped.Subdir);
                    w.WriteString("fn", skipped.FileName);
                    w.WriteString("reason", skipped.Reason);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        else
        {
            foreach (var subdir in report.Subdirs)
            {
                Console.WriteLine($"{subdir.Subdir}: {subdir.Records} records ({subdir.Read} read, {subdir.Reused} unchanged, {subdir.Removed} gone){(subdir.Patched ? ", patched" : string.Empty)}");
            }
        }

        foreach (var skipped in report.Skipped)
        {
            Console.Error.WriteLine($"skipped {skipped.Subdir}/{skipped.FileName}: {skipped.Reason}");
        }
    }
}
