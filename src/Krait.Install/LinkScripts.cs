using System.Diagnostics;
using Krait.Conda.Records;
using Krait.Files;

namespace Krait.Install;

/// <summary>
/// conda's link scripts: <c>bin/.&lt;name&gt;-&lt;action&gt;.sh</c> (<c>Scripts\.&lt;name&gt;-&lt;action&gt;.bat</c> on Windows)
/// for <c>pre-link</c>, <c>post-link</c> and <c>pre-unlink</c>, run by bash (cmd) with <c>PREFIX</c>, <c>PKG_NAME</c>,
/// <c>PKG_VERSION</c>, <c>PKG_BUILDNUM</c> and <c>ROOT_PREFIX</c> set and the environment's folders first on PATH; the
/// script is sourced by the shell, and post-link scripts run in the activated environment (its <c>activate.d</c>
/// scripts sourced first), as conda runs them.
/// A script that exits non-zero fails the transaction.
/// </summary>
public static class LinkScripts
{
    public const string PreLink = "pre-link";
    public const string PostLink = "post-link";
    public const string PreUnlink = "pre-unlink";

    /// <summary>Where a package's script for <paramref name="action"/> lives, relative to the package or the prefix.</summary>
    public static string RelativePath(string name, string action, bool windows) =>
        windows ? $"Scripts/.{name}-{action}.bat" : $"bin/.{name}-{action}.sh";

    /// <summary>
    /// The line that names a package's scripts, <c>name-version-build (pre-link, post-link)</c>, or null when it has
    /// none: which of <paramref name="actions"/> it carries, as <paramref name="holds"/> answers for their paths.
    /// </summary>
    public static string? Carried(PackageRecord record, Func<string, bool> holds, bool windows, params string[] actions)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(holds);
        var carried = actions.Where(action => holds(RelativePath(record.Name, action, windows))).ToList();
        return carried.Count == 0 ? null : $"{record} ({string.Join(", ", carried)})";
    }

    /// <summary>The pre-unlink script an installed package would run on removal (its conda-meta lists it), as <see cref="Carried"/> says it.</summary>
    public static string? CarriedOnRemoval(InstalledPackage package, bool windows)
    {
        ArgumentNullException.ThrowIfNull(package);
        return Carried(package.Record, package.Files.Contains, windows, PreUnlink);
    }

    /// <summary>
    /// The script of <paramref name="name"/> for <paramref name="action"/> in <paramref name="tree"/> (the
    /// environment, or the package's folder for pre-link), or null when there is none. A script reached through a
    /// link that leads outside, or that is not a regular file, is refused: Krait runs only what the package holds.
    /// </summary>
    public static string? Find(PrefixTree tree, string name, string action, bool windows)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var relative = RelativePath(name, action, windows);
        var path = tree.Resolve(relative);
        return FileKinds.Of(path) switch
        {
            FileKind.Missing => null,
            FileKind.Regular => path,
            _ => throw new InstallException($"the {action} script of {name} ({relative}) is not a regular file; refusing to run it"),
        };
    }

    /// <summary>Runs the script at <paramref name="script"/> unless it is null; throws <see cref="InstallException"/> when it fails.</summary>
    /// <param name="timeout">How long the script may run; then it is killed (with what it started) and this throws. Null: no limit.</param>
    public static void RunIfPresent(string? script, string action, PackageRecord record, string prefix, string? rootPrefix, bool windows, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (script is null)
        {
            return;
        }

        var start = windows ? new ProcessStartInfo("cmd.exe") : new ProcessStartInfo("/bin/bash");
        if (windows)
        {
            start.ArgumentList.Add("/d");
            start.ArgumentList.Add("/c");
            start.ArgumentList.Add(script);
        }
        else
        {
            // Sourced, as conda does: scripts in the wild end with `return 0`, which only a sourced script may do.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(action == PostLink
                ? """for f in "$PREFIX"/etc/conda/activate.d/*.sh; do [ -f "$f" ] && . "$f"; done; . "$0" """
                : """. "$0" """);
            start.ArgumentList.Add(script);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = prefix;
        start.Environment["PREFIX"] = prefix;
        start.Environment["CONDA_PREFIX"] = prefix;
        start.Environment["PKG_NAME"] = record.Name;
        start.Environment["PKG_VERSION"] = record.Version;
        start.Environment["PKG_BUILDNUM"] = record.BuildNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ROOT_PREFIX"] = rootPrefix ?? prefix;
        var folders = windows
            ? new[] { prefix, Path.Combine(prefix, "Library", "bin"), Path.Combine(prefix, "Scripts") }
            : new[] { Path.Combine(prefix, "bin") };
        start.Environment["PATH"] = string.Join(Path.PathSeparator, [.. folders, Environment.GetEnvironmentVariable("PATH") ?? string.Empty]);

        using var process = Process.Start(start) ?? throw new InstallException($"cannot start the {action} script of {record}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? Timeout.InfiniteTimeSpan))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new InstallException(
                $"the {action} script of {record} was still running after {timeout!.Value.TotalSeconds:F0} s and was stopped (link_script_timeout; 0 means no limit)");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var said = (output.Result + error.Result).Trim();
            var tail = said.Length > 2000 ? "…" + said[^2000..] : said;
            throw new InstallException(
                $"the {action} script of {record} failed with exit code {process.ExitCode}{(tail.Length > 0 ? $":\n{tail}" : string.Empty)}");
        }
    }
}
