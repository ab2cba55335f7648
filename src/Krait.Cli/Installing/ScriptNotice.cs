using Krait.Conda;
using Krait.Install;
using Krait.Packages;

namespace Krait.Cli.Installing;

/// <summary>
/// The packages of a plan known to carry link scripts, said with the plan (before "Proceed?"): those already
/// unpacked in a package cache, and installed ones with a pre-unlink script. Packages still to be downloaded are
/// named when they have been, before anything runs (<see cref="ChangeContext"/>'s notice).
/// </summary>
internal static class ScriptNotice
{
    public static void Write(IEnumerable<PackageRecord> linking, IEnumerable<InstalledPackage> unlinking, ChangeContext context)
    {
        var windows = Platform.OperatingSystemOf(context.Platform) == "win";
        var found = new List<string>();
        foreach (var package in unlinking)
        {
            if (package.Files.Contains(LinkScripts.RelativePath(package.Record.Name, LinkScripts.PreUnlink, windows)))
            {
                found.Add($"{package.Record} (pre-unlink)");
            }
        }

        foreach (var record in linking)
        {
            if (FindExtracted(context.Cache, record) is not { } extracted)
            {
                continue;
            }

            var actions = new[] { LinkScripts.PreLink, LinkScripts.PostLink }
                .Where(action => File.Exists(Path.Combine(extracted, LinkScripts.RelativePath(record.Name, action, windows))))
                .ToList();
            if (actions.Count > 0)
            {
                found.Add($"{record} ({string.Join(", ", actions)})");
            }
        }

        context.AnnouncedScripts.UnionWith(found);
        if (found.Count > 0)
        {
            Console.WriteLine($"Link scripts ({(context.NoScripts ? "not run: --no-scripts" : SafetySettings.Describe(SafetySettings.LinkScripts(context.Config)))}): {string.Join("; ", found)}");
            Console.WriteLine();
        }
    }

    private static string? FindExtracted(PackageCache cache, PackageRecord record)
    {
        try
        {
            return cache.FindExtracted(record);
        }
        catch (InvalidPackageRecordException)
        {
            return null;
        }
    }
}
