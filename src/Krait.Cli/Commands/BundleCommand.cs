using System.CommandLine;
using System.Security.Cryptography;
using Krait.Cli.Installing;
using Krait.Cli.Output;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Conda.Specs;
using Krait.Configuration;
using Krait.Files;
using Krait.Index;
using Krait.Install;
using Krait.Install.Environments;
using Krait.Packages;
using Krait.Packages.Bundles;
using Krait.Repodata.Query;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait bundle (-f environment.yml | --lockfile FILE) [-p PLATFORM] -o NAME.tar|NAME.sh</c>: one file that installs
/// the environment where there is no network: its packages (each checked against its channel's checksum), a channel
/// index of them, a manifest of every member's sha256 and, where one is at hand for the platform, the krait binary.
/// <c>krait bundle unpack FILE -p PREFIX</c> checks the whole bundle, then creates the environment from it offline.
/// </summary>
public static class BundleCommand
{
    /// <summary>The krait binary's member path (the installer script extracts it by this name).</summary>
    private const string KraitMember = "krait";

    public static Command Create()
    {
        var file = new Option<string?>("--file", "-f") { Description = "the environment.yml to solve and bundle" };
        var lockfile = new Option<string?>("--lockfile") { Description = "bundle exactly what a conda-lock.yml or pixi.lock locks" };
        var lockEnvironment = new Option<string>("--lock-environment") { Description = "the lockfile's environment (pixi.lock has several)", DefaultValueFactory = _ => "default" };
        var platform = new Option<string?>("--platform", "-p") { Description = "the platform to bundle for (default: this machine's)" };
        var output = new Option<string>("--output", "-o") { Description = "the bundle to write: NAME.sh (a self-installing script) or NAME.tar", Required = true };
        var channels = new Option<string[]>("--channel", "-c") { Description = "channels in place of the file's (repeatable)", AllowMultipleArgumentsPerToken = false };
        var binary = new Option<string?>("--krait-binary") { Description = "the krait binary to put in (default: this one, when it is a native build for the bundle's platform)" };
        var offline = new Option<bool>("--offline") { Description = "use no network: only cached repodata and packages" };
        var json = new Option<bool>("--json") { Description = "print what was bundled as JSON" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print nothing but errors" };
        var command = new Command("bundle", "Make one file that installs an environment without a network (NAME.sh or NAME.tar).")
        {
            file, lockfile, lockEnvironment, platform, output, channels, binary, offline, json, quiet,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => Make(new BundleOptions(
                parse.GetValue(file), parse.GetValue(lockfile), parse.GetValue(lockEnvironment)!, parse.GetValue(platform), parse.GetValue(output)!,
                parse.GetValue(channels) ?? [], parse.GetValue(binary), parse.GetValue(offline), asJson, parse.GetValue(quiet))));
        });
        command.Subcommands.Add(Unpack());
        return command;
    }

    internal sealed record BundleOptions(string? File, string? Lockfile, string LockEnvironment, string? Platform, string Output, string[] Channels, string? KraitBinary, bool Offline, bool Json, bool Quiet);

    private static int Make(BundleOptions options)
    {
        if ((options.File is null) == (options.Lockfile is null))
        {
            throw new KraitException("ArgumentError", "give either -f environment.yml or --lockfile FILE");
        }

        var isScript = options.Output.EndsWith(".sh", StringComparison.Ordinal);
        if (!isScript && !options.Output.EndsWith(".tar", StringComparison.Ordinal))
        {
            throw new KraitException("ArgumentError", $"{options.Output}: a bundle is NAME.sh (a self-installing script) or NAME.tar");
        }

        var platform = options.Platform is null ? MachinePlatform.Current : Platform.Validate(options.Platform);
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        using var remote = Remote.RemoteAccess.Create(config, locations, options.Offline, useIndexCache: options.Offline);
        var (name, records) = Records(options, platform, config, locations, remote);
        var cache = new PackageCache(locations.PkgsDirs);
        var fetched = records.Where(r => PackageArchives.MustFetch(r, cache)).ToList();
        if (fetched.Count > 0)
        {
            new Remote.NetworkArchiveFetcher(remote, []).Fetch(fetched, cache, progress: null, CancellationToken.None);
        }

        var outputFolder = Path.GetDirectoryName(Path.GetFullPath(options.Output))!;
        Directory.CreateDirectory(outputFolder);
        var staging = Path.Combine(outputFolder, $".krait-bundle-{Guid.NewGuid():N}");
        try
        {
            var (manifest, sources) = Stage(records, name, platform, cache, staging, KraitBinary(options, platform, isScript));
            WriteBundle(options.Output, isScript, manifest, sources, staging);
            Report(options, manifest, platform);
        }
        finally
        {
            FileKinds.Delete(staging);
        }

        return 0;
    }

    /// <summary>The environment's name and exact packages: locked, or solved for the platform as <c>krait lock</c> solves.</summary>
    private static (string? Name, IReadOnlyList<PackageRecord> Records) Records(BundleOptions options, string platform, CondaConfig config, KraitLocations locations, Remote.RemoteAccess remote)
    {
        if (options.Lockfile is not null)
        {
            var locked = LockfileInput.Read(options.Lockfile, options.LockEnvironment, platform, options.Json || options.Quiet, alsoAsked: false);
            return (null, locked.Records); // the installer then names the environment after the bundle's file
        }

        var environment = EnvironmentFileInput.ReadCondaOnly(options.File!, "an offline bundle");
        if (environment.Dependencies.Count == 0)
        {
            throw new KraitException("CondaValueError", $"{options.File} lists no dependencies: there is nothing to bundle");
        }

        var channelNames = options.Channels.Length > 0 ? options.Channels : [.. environment.Channels.Where(c => c != "nodefaults")];
        var channels = ChannelSelection.Resolve(channelNames, overrideChannels: channelNames.Length > 0, config, locations.Paths);
        using var source = new ChannelPackageSource(channels, platform, remote.Repodata, remote.NameIndexCache);
        var specs = environment.Dependencies.Select(d => MatchSpec.Parse(d, locations.Paths)).ToList();
        return (environment.Name, LockCommand.SolveFresh(config, platform, specs, channels, source));
    }

    /// <summary>
    /// Lays the bundle out in <paramref name="staging"/>: each archive checked against its record and linked (or copied)
    /// into <c>channel/SUBDIR/</c>, the channel indexed (repodata.json only), the krait binary beside; and the manifest.
    /// </summary>
    private static (BundleManifest Manifest, Dictionary<string, string> Sources) Stage(
        IReadOnlyList<PackageRecord> records, string? name, string platform, PackageCache cache, string staging, string? kraitBinary)
    {
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var packages = new List<BundledPackage>();
        var channel = Path.Combine(staging, "channel");
        foreach (var record in records.OrderBy(r => r.FileName, StringComparer.Ordinal))
        {
            if (record.Sha256 is null && record.Md5 is null)
            {
                throw new KraitException("CondaVerificationError", $"{record.FileName} has no sha256 or md5 in its channel or lockfile: a bundle holds only packages it can vouch for");
            }

            var archive = PackageArchives.Locate(record, cache);
            try
            {
                PackageVerifier.Verify(archive, record);
            }
            catch (DigestMismatchException e)
            {
                throw new KraitException("CondaVerificationError", $"{archive}: {e.Message}", "remove it from the package cache (krait clean) or fix the channel, then bundle again");
            }

            var subdir = record.Subdir ?? Platform.NoArch;
            var member = $"channel/{subdir}/{record.FileName}";
            var staged = Path.Combine(channel, subdir, record.FileName);
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            File.Copy(archive, staged);
            sources[member] = staged;
            packages.Add(new BundledPackage(member, Sha256Of(staged), record.Md5, new FileInfo(staged).Length, record.Depends, Conda.Channels.Channel.Redact(record.Url!)));
        }

        Directory.CreateDirectory(Path.Combine(channel, Platform.NoArch));
        Directory.CreateDirectory(Path.Combine(channel, platform));
        ChannelIndexer.Index(channel, new IndexOptions { Subdirs = [platform], Shards = false, Zstd = false, Parallelism = 1 });
        var files = new List<BundledFile>();
        foreach (var subdir in new[] { platform, Platform.NoArch }.Distinct(StringComparer.Ordinal))
        {
            var repodata = Path.Combine(channel, subdir, "repodata.json");
            var member = $"channel/{subdir}/repodata.json";
            sources[member] = repodata;
            files.Add(new BundledFile(member, Sha256Of(repodata), new FileInfo(repodata).Length));
        }

        if (kraitBinary is not null)
        {
            sources[KraitMember] = kraitBinary;
            files.Add(new BundledFile(KraitMember, Sha256Of(kraitBinary), new FileInfo(kraitBinary).Length));
        }

        return (new BundleManifest(platform, name, packages, files, kraitBinary is null ? null : KraitMember), sources);
    }

    /// <summary>
    /// The binary the installer runs: the one given, else (for a .sh) this krait when it is a native (NativeAOT) build
    /// and the bundle is for this machine's platform; else none, and the installer says which krait to bring. A .tar is
    /// unpacked by a krait the user has (pixi-pack's model), so it carries one only when asked.
    /// </summary>
    private static string? KraitBinary(BundleOptions options, string platform, bool isScript)
    {
        if (options.KraitBinary is { } given)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new KraitException("CondaFileIOError", $"{given} does not exist", "give the path of a krait binary built for the bundle's platform");
        }

        return isScript && platform == MachinePlatform.Current && Environment.ProcessPath is { } self && IsNativeBuild(self) ? self : null;
    }

    /// <summary>
    /// Whether this process is a NativeAOT krait, which runs on a machine without .NET. Not from
    /// <c>RuntimeFeature.IsDynamicCodeSupported</c>: a project with PublishAot reports false on the JIT too. A JIT krait
    /// is <c>dotnet</c> or an apphost, and either has its <c>krait.dll</c> beside it; a native one has none.
    /// </summary>
    private static bool IsNativeBuild(string processPath) =>
        !Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
        && !File.Exists(Path.Combine(Path.GetDirectoryName(processPath)!, "krait.dll"));

    /// <summary>Writes the tar (behind the installer's header for .sh) beside the output and renames it into place: a bundle is whole or absent.</summary>
    private static void WriteBundle(string output, bool isScript, BundleManifest manifest, Dictionary<string, string> sources, string staging)
    {
        var payload = Path.Combine(staging, "payload.tar");
        using (var tar = new FileStream(payload, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            BundleWriter.Write(tar, manifest, sources, staging);
        }

        if (!isScript)
        {
            AtomicFile.Write(output, stream =>
            {
                using var tar = File.OpenRead(payload);
                tar.CopyTo(stream);
            });
            return;
        }

        var header = InstallerScript.Header(manifest, Path.GetFileName(output), Sha256Of(payload));
        AtomicFile.Write(output, stream =>
        {
            stream.Write(header);
            using var tar = File.OpenRead(payload);
            tar.CopyTo(stream);
        });
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(output, File.GetUnixFileMode(output) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    private static void Report(BundleOptions options, BundleManifest manifest, string platform)
    {
        var size = new FileInfo(options.Output).Length;
        if (options.Json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("bundle", options.Output);
                w.WriteString("platform", platform);
                w.WriteNumber("packages", manifest.Packages.Count);
                w.WriteNumber("size", size);
                w.WriteString("sha256", Sha256Of(options.Output));
                w.WriteBoolean("krait_binary", manifest.Krait is not null);
                w.WriteEndObject();
            });
            return;
        }

        if (!options.Quiet)
        {
            Console.WriteLine($"Wrote {options.Output}: {manifest.Packages.Count} packages for {platform}, {size:N0} bytes ({size / 1048576.0:F1} MiB)");
        }

        if (manifest.Krait is null && options.Output.EndsWith(".sh", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"note: no krait binary for {platform} is in it (this krait is not a native build for {platform}); its script will ask for one: give --krait-binary PATH (a krait published for {platform}) to make it self-installing, or install it with krait bundle unpack");
        }
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary><c>krait bundle unpack FILE -p PREFIX [-y]</c>: the whole bundle checked first, then the environment created from it without a network.</summary>
    private static Command Unpack()
    {
        var bundle = new Argument<string>("bundle") { Description = "the bundle: NAME.tar, or NAME.sh" };
        var prefix = new Option<string>("--prefix", "-p") { Description = "where to create the environment", Required = true };
        var yes = new Option<bool>("--yes", "-y") { Description = "do not ask for confirmation" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print nothing but errors" };
        var json = new Option<bool>("--json") { Description = "print conda's JSON" };
        var command = new Command("unpack", "Create an environment from a bundle, offline.") { bundle, prefix, yes, quiet, json };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => RunUnpack(parse.GetValue(bundle)!, parse.GetValue(prefix)!, parse.GetValue(yes), parse.GetValue(quiet), asJson));
        });
        return command;
    }

    private static int RunUnpack(string bundle, string prefixPath, bool yes, bool quiet, bool json)
    {
        if (!File.Exists(bundle))
        {
            throw new KraitException("CondaFileIOError", $"{bundle} does not exist");
        }

        var prefix = Prefix.At(prefixPath);
        if (Directory.Exists(prefix.Path) && !EnvironmentCreator.IsEmpty(prefix.Path))
        {
            throw new KraitException("CondaValueError", $"{prefix} already exists and is not empty", "remove it first, or choose another prefix");
        }

        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(prefix.Path))!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".krait-unpack-{Guid.NewGuid():N}");
        try
        {
            BundleManifest manifest;
            try
            {
                manifest = BundleReader.Extract(bundle, staging);
            }
            catch (InvalidDataException e)
            {
                throw new KraitException("CondaVerificationError", e.Message, "nothing was installed; get the bundle again");
            }

            if (manifest.Platform != MachinePlatform.Current)
            {
                throw new KraitException("CondaValueError", $"{bundle} is a bundle for {manifest.Platform}, and this machine is {MachinePlatform.Current}", "unpack it on a machine of its platform; nothing was installed");
            }

            // The archives go into the package cache, as if downloaded from where they came from, which the records keep.
            var config = CondaConfig.Load();
            var locations = KraitLocations.Resolve(config);
            var cache = new PackageCache(locations.PkgsDirs);
            foreach (var package in manifest.Packages)
            {
                var cached = Path.Combine(cache.Directory, Path.GetFileName(package.Path));
                if (!File.Exists(cached) || Sha256Of(cached) != package.Sha256)
                {
                    AtomicFile.Write(cached, stream =>
                    {
                        using var archive = File.OpenRead(Path.Combine(staging, package.Path));
                        archive.CopyTo(stream);
                    });
                }
            }

            var records = manifest.Packages
                .Select(p => new Conda.Environments.ExplicitPackage(p.Url, p.Md5, p.Sha256).ToRecord(p.Depends, p.Size))
                .ToList();
            var options = new CreateCommand.CreateOptions([], Name: null, prefix.Path, [], OverrideChannels: true, manifest.Platform, Priority: null, DryRun: false, json, yes, File: null, Quiet: quiet, Offline: true);
            return CreateCommand.CreateExactly(options, prefix, config, locations, manifest.Platform, records);
        }
        finally
        {
            FileKinds.Delete(staging);
        }
    }
}
