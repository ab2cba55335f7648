using System.CommandLine;
using System.Text;
using Krait.Cli.Installing;
using Krait.Cli.Output;
using Krait.Conda.Environments;
using Krait.Conda.Lockfiles;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Configuration;
using Krait.Configuration.VirtualPackages;
using Krait.Files;
using Krait.Install;
using Krait.Install.Environments;
using Krait.Repodata.Query;
using Krait.Solve.Conda;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait lock [-f environment.yml] [-p PLATFORM]... [--lockfile conda-lock.yml] [-c CHANNEL]... [--kind lock|explicit]...
/// [--check] [--update NAME]...</c>: solves the environment file for every platform (with fixed virtual packages, not
/// this machine's) and writes conda-lock's <c>conda-lock.yml</c>, and/or one <c>@EXPLICIT</c> file per platform.
/// All platforms are solved before anything is written; an unsatisfiable platform writes nothing.
/// </summary>
public static class LockCommand
{
    /// <summary>conda-lock's default platforms.</summary>
    public static readonly IReadOnlyList<string> DefaultPlatforms = ["linux-64", "osx-64", "osx-arm64", "win-64"];

    public static Command Create()
    {
        var file = new Option<string>("--file", "-f") { Description = "the environment.yml to lock", DefaultValueFactory = _ => "environment.yml" };
        var platforms = new Option<string[]>("--platform", "-p") { Description = "a platform to lock (repeatable; default: the file's platforms:, else linux-64, osx-64, osx-arm64, win-64)", AllowMultipleArgumentsPerToken = false };
        var lockfile = new Option<string>("--lockfile") { Description = "the lockfile to write", DefaultValueFactory = _ => "conda-lock.yml" };
        var channels = new Option<string[]>("--channel", "-c") { Description = "channels to use in place of the file's (repeatable, highest priority first)", AllowMultipleArgumentsPerToken = false };
        var kinds = new Option<string[]>("--kind", "-k") { Description = "lock (conda-lock.yml, the default) and/or explicit (conda-PLATFORM.lock @EXPLICIT files beside it)", AllowMultipleArgumentsPerToken = false };
        kinds.AcceptOnlyFromAmong("lock", "explicit");
        var check = new Option<bool>("--check") { Description = "only say whether the lockfile still matches the file (exit 1 when it does not)" };
        var update = new Option<string[]>("--update") { Description = "re-solve only these packages (repeatable), keeping every other locked package", AllowMultipleArgumentsPerToken = true };
        var offline = new Option<bool>("--offline") { Description = "use no network: only cached repodata" };
        var json = new Option<bool>("--json") { Description = "print what was locked as JSON" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print nothing but errors" };
        var command = new Command("lock", "Lock an environment file for several platforms (conda-lock.yml).") { file, platforms, lockfile, channels, kinds, check, update, offline, json, quiet };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => Run(new LockOptions(
                parse.GetValue(file)!,
                parse.GetValue(platforms) ?? [],
                parse.GetValue(lockfile)!,
                parse.GetValue(channels) ?? [],
                parse.GetValue(kinds) is { Length: > 0 } given ? [.. given.Distinct(StringComparer.Ordinal)] : ["lock"],
                parse.GetValue(check),
                parse.GetValue(update) ?? [],
                parse.GetValue(offline),
                asJson,
                parse.GetValue(quiet))));
        });
        return command;
    }

    internal sealed record LockOptions(string File, string[] Platforms, string Lockfile, string[] Channels, string[] Kinds, bool Check, string[] Update, bool Offline, bool Json, bool Quiet);

    internal static int Run(LockOptions options)
    {
        var environment = EnvironmentFileInput.ReadCondaOnly(options.File, "a lockfile Krait writes");
        var existing = options.Check || options.Update.Length > 0 ? ReadLockfile(options.Lockfile) : null;
        var channelNames = options.Channels.Length > 0 ? options.Channels : [.. environment.Channels.Where(c => c != "nodefaults")];
        var platforms = Platforms(options, environment, existing);
        var hashes = platforms.ToDictionary(
            p => p,
            p => LockContentHash.Compute(channelNames, environment.Dependencies, p, VirtualPackageDetector.ForLocking(p)),
            StringComparer.Ordinal);
        if (options.Check)
        {
            return Check(options, existing!, hashes);
        }

        if (environment.Dependencies.Count == 0)
        {
            throw new KraitException("CondaValueError", $"{options.File} lists no dependencies: there is nothing to lock");
        }

        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var channels = ChannelSelection.Resolve(channelNames, overrideChannels: channelNames.Length > 0, config, locations.Paths);
        var specs = environment.Dependencies.Select(d => MatchSpec.Parse(d, locations.Paths)).ToList();
        using var remote = Remote.RemoteAccess.Create(config, locations, options.Offline, useIndexCache: options.Offline);
        var locked = new Dictionary<string, IReadOnlyList<LockedPackage>>(StringComparer.Ordinal);
        foreach (var platform in platforms)
        {
            using var source = new ChannelPackageSource(channels, platform, remote.Repodata, remote.NameIndexCache);
            var records = Solve(options, config, platform, specs, environment.Dependencies, channels, source, existing);
            try
            {
                locked[platform] = [.. records.Select(r => LockedPackageOf.Record(r))];
            }
            catch (FormatException e)
            {
                throw new KraitException("CondaValueError", $"{platform}: {e.Message}");
            }
        }

        var lockFile = new LockFile(
            "conda-lock v1",
            platforms,
            platforms.ToDictionary(p => p, p => p, StringComparer.Ordinal),
            new Dictionary<string, LockEnvironment>(StringComparer.Ordinal) { [LockFile.DefaultEnvironment] = new LockEnvironment(channelNames, locked) },
            hashes);
        var written = Write(options, lockFile);
        Report(options, lockFile, written);
        return 0;
    }

    private static LockFile ReadLockfile(string path)
    {
        if (!File.Exists(path))
        {
            throw new KraitException("CondaFileIOError", $"{path} does not exist", "make it first with krait lock");
        }

        try
        {
            return LockFile.Parse(File.ReadAllText(path), path);
        }
        catch (FormatException e)
        {
            throw new KraitException("CondaValueError", e.Message);
        }
    }

    /// <summary>The command line's platforms, else (checking or updating) the lockfile's, else the file's, else conda-lock's four.</summary>
    private static List<string> Platforms(LockOptions options, EnvironmentFile environment, LockFile? existing)
    {
        IEnumerable<string> chosen = options.Platforms.Length > 0 ? options.Platforms
            : existing is not null ? existing.Platforms
            : environment.Platforms is { Count: > 0 } fromFile ? fromFile
            : DefaultPlatforms;
        var result = new List<string>();
        foreach (var platform in chosen)
        {
            if (!Platform.IsKnown(platform) || platform == Platform.NoArch)
            {
                throw new KraitException("ArgumentError", $"'{platform}' is not a platform to lock for", $"use one of {string.Join(", ", Platform.KnownSubdirs.Where(p => p != Platform.NoArch))}");
            }

            if (!result.Contains(platform))
            {
                result.Add(platform);
            }
        }

        return result;
    }

    private static int Check(LockOptions options, LockFile existing, Dictionary<string, string> hashes)
    {
        var stale = hashes.Where(h => existing.ContentHashes.GetValueOrDefault(h.Key) != h.Value).Select(h => h.Key).ToList();
        if (options.Json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("lockfile", options.Lockfile);
                w.WriteBoolean("up_to_date", stale.Count == 0);
                w.WriteStartArray("stale_platforms");
                stale.ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        else if (stale.Count == 0 && !options.Quiet)
        {
            Console.WriteLine($"{options.Lockfile} is up to date with {options.File} ({string.Join(", ", hashes.Keys)})");
        }
        else if (stale.Count > 0)
        {
            Console.Error.WriteLine($"{options.Lockfile} does not match {options.File} for {string.Join(", ", stale)}: the specs, channels or virtual packages changed; run krait lock -f {options.File} --lockfile {options.Lockfile}");
        }

        return stale.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// One platform's solve. With <c>--update</c>, the platform's locked packages act as an installed environment and
    /// only the named ones (and what they need) may move, as <c>krait update NAME</c> moves an environment.
    /// </summary>
    private static IReadOnlyList<PackageRecord> Solve(
        LockOptions options, CondaConfig config, string platform, List<MatchSpec> specs, IReadOnlyList<string> specTexts,
        IReadOnlyList<Conda.Channels.Channel> channels, ChannelPackageSource source, LockFile? existing)
    {
        if (options.Update.Length == 0)
        {
            return SolveFresh(config, platform, specs, channels, source);
        }

        ThrowIfUnavailable(specs, channels, platform, source);
        var lockedNow = LockedEnvironment.For(existing!, LockFile.DefaultEnvironment, platform).Records;
        var unknown = options.Update.Where(n => !lockedNow.Any(r => r.Name == n) && !specs.Exists(s => s.Name.Matches(n))).ToList();
        if (unknown.Count > 0)
        {
            throw new KraitException("PackageNotInstalledError", $"{string.Join(", ", unknown)} is neither locked for {platform} in {options.Lockfile} nor asked for in {options.File}", "lock it by adding it to the file's dependencies and running krait lock");
        }

        var installed = lockedNow.Select(r => new InstalledPackage(r, MetaFileName: string.Empty, Files: [], RequestedSpec: null)).ToList();
        var result = EnvironmentSolver.Solve(ChangeKind.Update, [.. options.Update.Select(MatchSpec.Parse)], installed, specTexts, source, channels.Count, Settings(config, platform));
        return Solved(result, source, platform);
    }

    /// <summary>
    /// The packages <paramref name="specs"/> need on <paramref name="platform"/>, solved with the platform's fixed
    /// virtual packages (<see cref="VirtualPackageDetector.ForLocking"/>), so that any machine solves them alike.
    /// </summary>
    internal static IReadOnlyList<PackageRecord> SolveFresh(CondaConfig config, string platform, List<MatchSpec> specs, IReadOnlyList<Conda.Channels.Channel> channels, ChannelPackageSource source)
    {
        ThrowIfUnavailable(specs, channels, platform, source);
        var settings = Settings(config, platform);
        var result = CondaSolver.Solve(settings with { Specs = config.AddPipAsPythonDependency ? PipDependency.Requested(specs, source) : specs }, source);
        return Solved(result, source, platform);
    }

    private static void ThrowIfUnavailable(List<MatchSpec> specs, IReadOnlyList<Conda.Channels.Channel> channels, string platform, ChannelPackageSource source)
    {
        if (UnavailableSpecs.Of(specs, source) is { Count: > 0 } missing)
        {
            Warnings.Write(source.Warnings);
            throw PackagesNotFound.Error(missing, channels, platform, source.Names());
        }
    }

    private static SolveRequest Settings(CondaConfig config, string platform) =>
        new([], VirtualPackageDetector.ForLocking(platform), ChannelPriorities.Parse(config.ChannelPriority)) { AddPipAsPythonDependency = config.AddPipAsPythonDependency };

    private static IReadOnlyList<PackageRecord> Solved(SolveResult result, ChannelPackageSource source, string platform)
    {
        Warnings.Write([.. source.Warnings, .. result.Warnings]);
        return result.IsSatisfiable
            ? result.Records
            : throw new KraitException("UnsatisfiableError", $"{platform}: {result.Explanation}", $"lock fewer platforms (-p), or relax a version for {platform}");
    }

    /// <summary>Writes each asked kind, every file whole or not at all; returns the paths written.</summary>
    private static List<string> Write(LockOptions options, LockFile lockFile)
    {
        var written = new List<string>();
        if (options.Kinds.Contains("lock"))
        {
            AtomicFile.Write(options.Lockfile, Encoding.UTF8.GetBytes(CondaLockWriter.Write(lockFile, [Path.GetFileName(options.File)])));
            written.Add(options.Lockfile);
        }

        if (options.Kinds.Contains("explicit"))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(options.Lockfile))!;
            foreach (var platform in lockFile.Platforms)
            {
                var path = Path.Combine(folder, $"conda-{platform}.lock");
                var packages = lockFile.Environments[LockFile.DefaultEnvironment].Packages[platform];
                var text = ExplicitEnvironment.Write(
                    [
                        "Generated by krait lock. Create an environment from it with:",
                        $"$ krait create -p ENV --file conda-{platform}.lock    (or conda create -p ENV --file conda-{platform}.lock)",
                        $"platform: {platform}",
                        $"input_hash: {lockFile.ContentHashes[platform]}",
                    ],
                    [.. packages.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new ExplicitPackage(p.Location, p.Md5, p.Sha256))]);
                AtomicFile.Write(path, Encoding.UTF8.GetBytes(text));
                written.Add(path);
            }
        }

        return written;
    }

    private static void Report(LockOptions options, LockFile lockFile, List<string> written)
    {
        var packages = lockFile.Environments[LockFile.DefaultEnvironment].Packages;
        if (options.Json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("written");
                written.ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteStartObject("platforms");
                foreach (var platform in lockFile.Platforms)
                {
                    w.WriteStartObject(platform);
                    w.WriteNumber("packages", packages[platform].Count);
                    w.WriteString("content_hash", lockFile.ContentHashes[platform]);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
        else if (!options.Quiet)
        {
            foreach (var platform in lockFile.Platforms)
            {
                Console.WriteLine($"{platform}: {packages[platform].Count} packages");
            }

            written.ForEach(path => Console.WriteLine($"Wrote {path}"));
        }
    }
}
