using System.Text.Json;
using Krait.Build.Recipes;
using Krait.Conda.Records;

namespace Krait.Build.Building;

/// <summary>The <c>run_exports.json</c> of one installed package.</summary>
public sealed record PackageRunExports(string Package, IReadOnlyList<string> Weak, IReadOnlyList<string> Strong, IReadOnlyList<string> Noarch, IReadOnlyList<string> WeakConstrains, IReadOnlyList<string> StrongConstrains)
{
    public static PackageRunExports? Read(InstalledRecord installed)
    {
        ArgumentNullException.ThrowIfNull(installed);
        var file = installed.ExtractedDirectory is null ? null : Path.Combine(installed.ExtractedDirectory, "info", "run_exports.json");
        if (file is null || !File.Exists(file))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            List<string> List(string name) => document.RootElement.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
                ? [.. list.EnumerateArray().Select(e => e.GetString()).OfType<string>()]
                : [];
            return new PackageRunExports(installed.Record.Name, List("weak"), List("strong"), List("noarch"), List("weak_constrains"), List("strong_constrains"));
        }
        catch (JsonException e)
        {
            throw new BuildException($"{installed.Record}: its info/run_exports.json is not JSON ({e.Message})");
        }
    }
}

/// <summary>
/// A package's final <c>depends</c> and <c>constrains</c>, as conda-build makes them: its <c>run</c> and
/// <c>run_constraints</c> (with <c>pin_compatible</c> resolved against the host environment), plus the run_exports of
/// the packages its requirements name directly: weak and strong from host, strong from build (which also go into
/// the host environment), only <c>noarch</c> ones for a noarch package; less what <c>ignore_run_exports</c> names.
/// </summary>
public static class DependencyResolution
{
    /// <summary>The strong run_exports of the build environment's direct requirements: they join the host requirements.</summary>
    public static IReadOnlyList<string> StrongFromBuild(RecipeRequirements requirements, IReadOnlyList<InstalledRecord> build) =>
        [.. Exports(requirements.Build, build, requirements).SelectMany(e => e.Strong)];

    public static (IReadOnlyList<string> Depends, IReadOnlyList<string> Constrains) Resolve(RecipeRequirements requirements, NoArchType noarch, IReadOnlyList<InstalledRecord> build, IReadOnlyList<InstalledRecord> host)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var depends = new List<string>();
        var constrains = new List<string>();
        void Add(List<string> list, string spec)
        {
            if (!list.Contains(spec, StringComparer.Ordinal))
            {
                list.Add(spec);
            }
        }

        foreach (var requirement in requirements.Run)
        {
            Add(depends, Resolve(requirement, host));
        }

        foreach (var requirement in requirements.RunConstraints)
        {
            Add(constrains, Resolve(requirement, host));
        }

        var fromHost = Exports(requirements.Host, host, requirements);
        var fromBuild = Exports(requirements.Build, build, requirements);
        foreach (var exports in fromHost)
        {
            var run = noarch == NoArchType.None ? exports.Weak.Concat(exports.Strong) : exports.Noarch;
            foreach (var spec in run.Where(s => !Ignored(s, requirements)))
            {
                Add(depends, spec);
            }

            foreach (var spec in (noarch == NoArchType.None ? exports.WeakConstrains.Concat(exports.StrongConstrains) : []).Where(s => !Ignored(s, requirements)))
            {
                Add(constrains, spec);
            }
        }

        foreach (var exports in noarch == NoArchType.None ? fromBuild : [])
        {
            exports.Strong.Where(s => !Ignored(s, requirements)).ToList().ForEach(s => Add(depends, s));
            exports.StrongConstrains.Where(s => !Ignored(s, requirements)).ToList().ForEach(s => Add(constrains, s));
        }

        return (depends, constrains);
    }

    private static string Resolve(RecipeRequirement requirement, IReadOnlyList<InstalledRecord> host)
    {
        if (requirement.Spec is { } spec)
        {
            return spec;
        }

        var pin = requirement.Pin!;
        var installed = host.FirstOrDefault(h => h.Record.Name == pin.Name)
            ?? throw new BuildException($"{pin}: {pin.Name} is not in the host environment, so there is no version to pin to; add it to requirements.host");
        return pin.Resolve(installed.Record.Version, installed.Record.Build);
    }

    /// <summary>The run_exports of the installed packages that <paramref name="direct"/> names, less those ignored by package.</summary>
    private static List<PackageRunExports> Exports(IReadOnlyList<RecipeRequirement> direct, IReadOnlyList<InstalledRecord> installed, RecipeRequirements requirements)
    {
        var names = direct.Select(r => r.Spec is { } spec ? spec.Split(' ', 2)[0] : r.Pin!.Name).ToHashSet(StringComparer.Ordinal);
        return [.. installed
            .Where(i => names.Contains(i.Record.Name) && !requirements.IgnoreRunExportsFromPackage.Contains(i.Record.Name, StringComparer.Ordinal))
            .Select(PackageRunExports.Read)
            .OfType<PackageRunExports>()];
    }

    private static bool Ignored(string spec, RecipeRequirements requirements) =>
        requirements.IgnoreRunExportsByName.Contains(spec.Split(' ', 2)[0], StringComparer.Ordinal);
}
