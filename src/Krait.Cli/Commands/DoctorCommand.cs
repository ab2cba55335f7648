using System.CommandLine;
using Krait.Cli.Output;
using Krait.Configuration;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait doctor [-n NAME | -p PREFIX] [--json]</c>: the files of an environment checked against its conda-meta
/// records (<see cref="EnvironmentHealth"/>), as <c>conda doctor</c>: missing files and files whose content changed.
/// Unlike conda it exits 1 when it finds either, so that a script or CI can act on it.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var name = new Option<string?>("--name", "-n") { Description = "name of the environment" };
        var prefix = new Option<string?>("--prefix", "-p") { Description = "path of the environment (default: the active one)" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var command = new Command("doctor", "Check an environment's files against its records (missing or changed files).") { name, prefix, json };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => Run(parse.GetValue(name), parse.GetValue(prefix), asJson));
        });
        return command;
    }

    private static int Run(string? name, string? prefixPath, bool json)
    {
        var prefix = EnvironmentLocator.Resolve(name, prefixPath, KraitLocations.Resolve(CondaConfig.Load()));
        Installing.ChangeRunner.RepairIfInterrupted(prefix);
        IReadOnlyList<PackageHealth> report;
        try
        {
            report = EnvironmentHealth.Check(prefix);
        }
        catch (InstallException e)
        {
            throw new KraitException("CondaError", e.Message, "remove the package and install it again");
        }

        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("prefix", prefix.Path);
                w.WriteBoolean("healthy", report.Count == 0);
                Write(w, "missing_files", report, p => p.Missing);
                Write(w, "altered_files", report, p => p.Altered);
                w.WriteEndObject();
            });
        }
        else
        {
            Console.WriteLine($"Environment Health Report for: {prefix.Path}");
            Console.WriteLine();
            Print("Missing Files", report, p => p.Missing);
            Print("Altered Files", report, p => p.Altered);
        }

        return report.Count == 0 ? 0 : 1;
    }

    private static void Print(string title, IReadOnlyList<PackageHealth> report, Func<PackageHealth, IReadOnlyList<string>> files)
    {
        var affected = report.Where(p => files(p).Count > 0).ToList();
        if (affected.Count == 0)
        {
            Console.WriteLine($"{title}: none");
            Console.WriteLine();
            return;
        }

        Console.WriteLine($"{title}:");
        foreach (var package in affected)
        {
            Console.WriteLine($"  {package.Package}: {files(package).Count}");
            files(package).ToList().ForEach(f => Console.WriteLine($"    {f}"));
        }

        Console.WriteLine();
    }

    private static void Write(System.Text.Json.Utf8JsonWriter writer, string name, IReadOnlyList<PackageHealth> report, Func<PackageHealth, IReadOnlyList<string>> files)
    {
        writer.WriteStartObject(name);
        foreach (var package in report.Where(p => files(p).Count > 0))
        {
            writer.WriteStartArray(package.Package);
            files(package).ToList().ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
