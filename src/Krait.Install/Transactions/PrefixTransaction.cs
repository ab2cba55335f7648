using Krait.Conda.Records;
using Krait.Files;
using Krait.Packages;

namespace Krait.Install.Transactions;

/// <summary>
/// Carries out a <see cref="TransactionPlan"/> on a prefix, crash-safe. Everything that can fail without touching the
/// prefix happens first (packages verified and extracted into the cache, every path planned, clobbers found); then the
/// <see cref="TransactionJournal"/> is written, pre-unlink scripts run, the paths that go or are replaced are moved
/// into the journal's backup folder, the new packages are linked, byte-compiled and their post-link scripts run, and
/// their conda-meta records and the history are written. Rewriting the journal as committed is the single moment the
/// new state becomes the real one; a failure before it rolls everything back.
/// </summary>
public static class PrefixTransaction
{
    /// <param name="held">The lock of <see cref="TransactionOptions.Prefix"/>, which the caller holds until this returns.</param>
    public static TransactionResult Execute(TransactionPlan plan, PrefixLock held, TransactionOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(options);
        held.EnsureHolds(options.Prefix);
        var prefix = held.Prefix.Path;
        var windows = Krait.Conda.Platforms.Platform.OperatingSystemOf(options.Platform) == "win";
        var warnings = new List<string>();

        var packages = Prepare(plan, options);
        var finalRecords = plan.Keep.Select(k => k.Record).Concat(packages.Select(p => p.Record)).ToList();
        var python = PythonLayout.From(finalRecords, options.Platform);
        var linkPlans = packages.Select(p => new LinkPlan(p.Record, p.Extracted, ReadingMetadata(p.Record, () => PackageLinker.Plan(p.Record, p.Extracted, python)))).ToList();
        // A python or a link script of another operating system's environment (krait create --platform) cannot run here.
        var foreign = Krait.Conda.Platforms.Platform.OperatingSystemOf(options.Platform) != Krait.Conda.Platforms.Platform.OperatingSystemOf(Krait.Conda.Platforms.Platform.Native);
        var runScripts = ApplyScriptPolicy(plan, linkPlans, options, windows, foreign, warnings);
        var payloadCheck = new PayloadCheckStage(options.SafetyChecks, options.ExtraSafetyChecks);
        foreach (var package in linkPlans)
        {
            warnings.AddRange(payloadCheck.Check(package.Record, package.Extracted));
        }

        warnings.AddRange(Clobbers.Find(linkPlans, plan.Keep, options.PathConflict, caseInsensitive: windows));
        if (windows && WindowsPaths.TooLong(prefix, linkPlans) is { } tooLong)
        {
            warnings.Add(tooLong);
        }

        var pythonVersion = finalRecords.FirstOrDefault(r => r.Name == "python")?.Version;
        var tree = new PrefixTree(prefix, $"the environment {prefix}");
        var journal = TransactionPaths.Journal(tree, plan, linkPlans, options, python, pythonVersion, warnings);
        var history = Path.Combine(prefix, "conda-meta", "history");
        var oldHistory = File.Exists(history) ? File.ReadAllText(history) : string.Empty;

        journal.Write(prefix);
        try
        {
            foreach (var package in runScripts ? plan.Unlink : [])
            {
                var script = LinkScripts.Find(tree, package.Record.Name, LinkScripts.PreUnlink, windows);
                LinkScripts.RunIfPresent(script, LinkScripts.PreUnlink, package.Record, prefix, options.RootPrefix, windows, options.LinkScriptTimeout);
            }

            var backup = TransactionJournal.BackupFolder(prefix);
            for (var i = 0; i < journal.Moved.Count; i++)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                var relative = journal.Moved[i];
                var saved = PrefixPaths.Under(backup, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
                TransactionRecovery.MovePath(PrefixPaths.Under(prefix, relative), saved);
                if (plan.Unlink.Count > 0)
                {
                    // Only a plan that removes packages shows this stage: the history file alone is saved on every change.
                    options.Progress?.Report(new TransactionProgress("unlink", relative, i + 1, journal.Moved.Count));
                }
            }

            // A fresh tree: the moves above changed what is on disk.
            var session = new LinkSession(new PrefixTree(prefix, $"the environment {prefix}"), TransactionPaths.WrittenTwice(linkPlans)) { AlwaysCopy = options.AlwaysCopy, Platform = options.Platform };
            var linked = new List<IReadOnlyList<LinkedPath>>(linkPlans.Count);
            for (var i = 0; i < linkPlans.Count; i++)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                var package = linkPlans[i];
                if (runScripts)
                {
                    var preLink = LinkScripts.Find(new PrefixTree(package.Extracted, $"the package {package.Record}"), package.Record.Name, LinkScripts.PreLink, windows);
                    LinkScripts.RunIfPresent(preLink, LinkScripts.PreLink, package.Record, prefix, options.RootPrefix, windows, options.LinkScriptTimeout);
                }

                linked.Add(PackageLinker.Apply(package.Record, package.Actions, python, session));
                options.Progress?.Report(new TransactionProgress("link", package.Record.ToString(), i + 1, linkPlans.Count));
            }

            if (session.Unsigned.Count > 0)
            {
                warnings.Add($"{session.Unsigned.Count} Mach-O file(s) had the environment's path written into them, which voids their signature, and were not signed again ({session.Unsigned[0].Reason}): macOS on Apple silicon runs them only after 'codesign -s - -f FILE' on the Mac: {string.Join(", ", session.Unsigned.Select(u => u.Path))}");
            }

            if (options.CompilePyc && python is not null && pythonVersion is not null && foreign && linkPlans.Exists(p => p.Record.NoArch == NoArchType.Python))
            {
                warnings.Add($"the .py files of noarch: python packages are not compiled: this machine cannot run a {options.Platform} python; it compiles them on first import");
            }
            else if (options.CompilePyc && python is not null && pythonVersion is not null)
            {
                var sources = linkPlans.Where(p => p.Record.NoArch == NoArchType.Python).SelectMany(p => TransactionPaths.PythonSources(p, python)).ToList();
                if (PycCompiler.Compile(prefix, python.Interpreter, sources) is { } warning)
                {
                    warnings.Add(warning);
                }
            }

            for (var i = 0; runScripts && i < linkPlans.Count; i++)
            {
                var package = linkPlans[i];
                var postLink = LinkScripts.Find(session.Prefix, package.Record.Name, LinkScripts.PostLink, windows);
                LinkScripts.RunIfPresent(postLink, LinkScripts.PostLink, package.Record, prefix, options.RootPrefix, windows, options.LinkScriptTimeout);
            }

            for (var i = 0; i < linkPlans.Count; i++)
            {
                var package = linkPlans[i];
                var paths = WithCompiled(prefix, package, linked[i], python, pythonVersion);
                var archive = Path.Combine(Path.GetDirectoryName(package.Extracted)!, package.Record.FileName);
                PrefixRecordWriter.Write(prefix, package.Record, paths, package.Extracted, archive, RequestedSpec(package.Record, options, plan), options.AlwaysCopy);
            }

            options.Cancellation.ThrowIfCancellationRequested();
            PrefixRecordWriter.WriteHistory(prefix, oldHistory, options.Command, plan.Unlink.Select(u => u.Record), packages.Select(p => p.Record), options.UpdateSpecs.Select(s => s.ToString()), options.RemoveSpecs);
            (journal with { Committed = true }).Write(prefix);
        }
        catch
        {
            TransactionRecovery.RollBack(prefix, journal);
            TakeMessages(prefix);
            throw;
        }

        TransactionRecovery.Finish(prefix, journal);
        return new TransactionResult(warnings, TakeMessages(prefix));
    }

    private sealed record ReadyPackage(PackageRecord Record, string Extracted);

    /// <summary>Verifies and extracts every package to link before the prefix is touched.</summary>
    private static List<ReadyPackage> Prepare(TransactionPlan plan, TransactionOptions options)
    {
        var ready = new List<ReadyPackage>(plan.Link.Count);
        var archiveOf = options.ArchiveOf ?? (record => Environments.PackageArchives.Locate(record, options.Cache));
        for (var i = 0; i < plan.Link.Count; i++)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            var record = plan.Link[i];
            var extracted = options.Cache.Ensure(record, () => archiveOf(record));
            ready.Add(new ReadyPackage(ReadingMetadata(record, () => PackageIndex.Complete(record, extracted)), extracted));
            options.Progress?.Report(new TransactionProgress("extract", record.ToString(), i + 1, plan.Link.Count));
        }

        return ready;
    }

    /// <summary>A package's info/ files are untrusted input: malformed ones make a clear refusal, before anything changes.</summary>
    private static T ReadingMetadata<T>(PackageRecord record, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or FormatException or InvalidOperationException)
        {
            throw new HostileArchiveException(record.FileName, "info/", $"has malformed metadata ({e.Message})", e);
        }
    }

    /// <summary>The linked paths plus the .pyc files python wrote for them (conda lists those as <c>pyc_file</c>).</summary>
    private static List<LinkedPath> WithCompiled(string prefix, LinkPlan package, IReadOnlyList<LinkedPath> linked, PythonLayout? python, string? pythonVersion)
    {
        var paths = linked.ToList();
        if (package.Record.NoArch != NoArchType.Python || python is null || pythonVersion is null)
        {
            return paths;
        }

        foreach (var source in TransactionPaths.PythonSources(package, python))
        {
            if (PycCompiler.CachePath(source, pythonVersion) is { } compiled && File.Exists(PrefixPaths.Under(prefix, compiled)))
            {
                paths.Add(new LinkedPath(compiled, "pyc_file", null, null, null, null, null));
            }
        }

        return paths;
    }

    /// <summary>
    /// Finds the link scripts the transaction would run (pre-unlink of removed packages, pre-link and post-link of new
    /// ones), tells <see cref="TransactionOptions.LinkScriptsFound"/>, and applies the policy before anything changes:
    /// refuse the transaction, or say which will not run. True when they are to run.
    /// </summary>
    private static bool ApplyScriptPolicy(TransactionPlan plan, List<LinkPlan> linkPlans, TransactionOptions options, bool windows, bool foreign, List<string> warnings)
    {
        var found = new List<string>();
        found.AddRange(plan.Unlink.Select(p => LinkScripts.CarriedOnRemoval(p, windows)).OfType<string>());
        foreach (var package in linkPlans)
        {
            var targets = package.Actions.Select(a => a.TargetPath).ToHashSet(StringComparer.Ordinal);
            if (LinkScripts.Carried(package.Record, targets.Contains, windows, LinkScripts.PreLink, LinkScripts.PostLink) is { } carried)
            {
                found.Add(carried);
            }
        }

        if (found.Count == 0)
        {
            return true;
        }

        options.LinkScriptsFound?.Invoke(found);
        if (foreign && options.LinkScripts != LinkScriptPolicy.Refuse)
        {
            warnings.Add($"link scripts not run: they are {options.Platform} scripts, which this machine cannot run; these packages may not work until they are: {string.Join("; ", found)}");
            return false;
        }

        switch (options.LinkScripts)
        {
            case LinkScriptPolicy.Refuse:
                throw new InstallException(
                    $"link scripts are refused (link_scripts: refuse), and these packages have them: {string.Join("; ", found)}; nothing was changed");
            case LinkScriptPolicy.Skip:
                warnings.Add($"link scripts not run (link_scripts: skip); these packages may not work until they are: {string.Join("; ", found)}");
                return false;
            default:
                return true;
        }
    }

    private static string? RequestedSpec(PackageRecord record, TransactionOptions options, TransactionPlan plan)
    {
        var asked = options.UpdateSpecs.FirstOrDefault(s => s.Name.Matches(record.Name));
        return asked?.ToString() ?? plan.Unlink.FirstOrDefault(u => u.Record.Name == record.Name)?.RequestedSpec;
    }

    /// <summary>conda shows what link scripts wrote to <c>$PREFIX/.messages.txt</c> once, then removes it.</summary>
    private static string? TakeMessages(string prefix)
    {
        var path = Path.Combine(prefix, ".messages.txt");
        var kind = FileKinds.Of(path);
        if (kind != FileKind.Regular)
        {
            // A package may ship .messages.txt as a link to a secret file: it is removed, never shown.
            if (kind == FileKind.Symlink)
            {
                File.Delete(path);
            }

            return null;
        }

        var text = File.ReadAllText(path);
        File.Delete(path);
        return text.Trim().Length == 0 ? null : text.TrimEnd();
    }
}
