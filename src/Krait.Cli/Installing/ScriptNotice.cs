using Krait.Conda.Platforms;
using Krait.Conda.Records;
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
        found.AddRange(unlinking.Select(p => LinkScripts.CarriedOnRemoval(p, windows)).OfType<string>());
        foreach (var record in linking)
        {
            if (FindExtracted(context.Cache, record) is { } extracted
                && LinkScripts.Carried(record, relative => File.Exists(Path.Combine(extracted, relative)), windows, LinkScripts.PreLink, LinkScripts.PostLink) is { } carried)
            {
                found.Add(carried);
            }
        }

        context.AnnouncedScripts.UnionWith(found);
        if (found.Count > 0)
        {
            Console.WriteLine($"Link scripts ({context.LinkScriptPolicyText}): {string.Join("; ", found)}");
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
