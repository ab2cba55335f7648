using System.CommandLine;
using Krait.Cli.Installing;
using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait clean (--all | --packages | --tarballs | --index-cache | --locks)... [--dry-run] [--json] [-y]</c>: frees the
/// writable package caches of what no environment needs (<see cref="PackageCacheCleaning"/>), as <c>conda clean</c>.
/// </summary>
public static class CleanCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all", "-a") { Description = "everything below" };
        var packages = new Option<bool>("--packages", "-p") { Description = "extracted packages no environment uses" };
        var tarballs = new Option<bool>("--tarballs", "-t") { Description = "package archives (.conda, .tar.bz2)" };
        var indexCache = new Option<bool>("--index-cache", "-i") { Description = "the cached repodata" };
        var locks = new Option<bool>("--locks") { Description = "lock files nobody holds" };
        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "only show what would be removed" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask for confirmation" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print nothing but errors" };
        var command = new Command("clean", "Remove unused packages, archives and caches from the package caches.") { all, packages, tarballs, indexCache, locks, dryRun, json, yes, quiet };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () =>
            {
                var everything = parse.GetValue(all);
                var kinds = new HashSet<CacheItemKind>();
                void Add(bool asked, CacheItemKind kind)
                {
                    if (asked || everything)
                    {
                        kinds.Add(kind);
                    }
                }

                Add(parse.GetValue(packages), CacheItemKind.Package);
                Add(parse.GetValue(tarballs), CacheItemKind.Tarball);
                Add(parse.GetValue(indexCache), CacheItemKind.IndexCache);
                Add(parse.GetValue(locks), CacheItemKind.Lock);
                if (kinds.Count == 0)
                {
                    throw new KraitException("ArgumentError", "at least one thing to remove must be given", "give --all, --packages, --tarballs, --index-cache or --locks");
                }

                return Run(kinds, parse.GetValue(dryRun), asJson, parse.GetValue(yes), parse.GetValue(quiet));
            });
        });
        return command;
    }

    private static readonly (CacheItemKind Kind, string Json, string Shown)[] Kinds =
    [
        (CacheItemKind.Tarball, "tarballs", "tarball(s)"),
        (CacheItemKind.Package, "packages", "package(s)"),
        (CacheItemKind.IndexCache, "index_cache", "index cache file(s)"),
        (CacheItemKind.Lock, "locks", "lock file(s)"),
    ];

    private static int Run(HashSet<CacheItemKind> kinds, bool dryRun, bool json, bool yes, bool quiet)
    {
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var environments = EnvironmentRegistry.Find(locations.RootPrefix, locations.EnvsDirs, KraitLocations.Home);
        var found = PackageCacheCleaning.Find(locations.PkgsDirs, environments, kinds);
        if (!json && !quiet)
        {
            foreach (var (kind, _, shown) in Kinds.Where(k => kinds.Contains(k.Kind)))
            {
                var items = found.Where(i => i.Kind == kind).ToList();
                if (items.Count == 0)
                {
                    Console.WriteLine($"There are no unused {shown} to remove.");
                    continue;
                }

                Console.WriteLine($"Will remove {items.Count} ({ByteSizes.Human(items.Sum(i => i.Size))}) {shown}:");
                items.ForEach(i => Console.WriteLine($"  {i.Path,-70} {ByteSizes.Human(i.Size),10}"));
            }
        }

        var removed = found;
        if (!dryRun && found.Count > 0)
        {
            if (!json && !yes)
            {
                Confirmation.Ask(destructive: false);
            }

            removed = PackageCacheCleaning.Remove(found);
        }

        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                foreach (var (kind, name, _) in Kinds.Where(k => kinds.Contains(k.Kind)))
                {
                    var items = removed.Where(i => i.Kind == kind).ToList();
                    w.WriteStartObject(name);
                    w.WriteStartArray("files");
                    items.ForEach(i => w.WriteStringValue(i.Path));
                    w.WriteEndArray();
                    w.WriteNumber("total_size", items.Sum(i => i.Size));
                    w.WriteEndObject();
                }

                w.WriteBoolean("dry_run", dryRun);
                w.WriteBoolean("success", true);
                w.WriteEndObject();
            });
        }
        else if (!quiet && removed.Count < found.Count && !dryRun)
        {
            Console.Error.WriteLine($"warning: {found.Count - removed.Count} item(s) were in use by another krait or linked meanwhile, and were left");
        }

        return 0;
    }
}
