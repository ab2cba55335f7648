using System.CommandLine;
using Krait.Conda;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary><c>krait env list [--json]</c>: the environments conda and Krait know of, the active one marked.</summary>
public static class EnvCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print conda's {\"envs\": [...]}" };
        var list = new Command("list", "List the environments.") { json };
        list.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => List(asJson));
        });
        var name = new Option<string?>("--name", "-n") { Description = "name of the environment" };
        var prefix = new Option<string?>("--prefix", "-p") { Description = "path of the environment (default: the active one)" };
        var fromHistory = new Option<bool>("--from-history") { Description = "only the specs that were asked for, not every package" };
        var export = new Command("export", "Write the environment as an environment.yml.") { name, prefix, fromHistory };
        export.SetAction(parse => CommandRunner.Run(json: false, () => EnvExport.Run(parse.GetValue(name), parse.GetValue(prefix), parse.GetValue(fromHistory))));
        return new Command("env", "Work with environments.") { list, export };
    }

    private static int List(bool json)
    {
        var locations = KraitLocations.Resolve(CondaConfig.Load());
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var environments = EnvironmentRegistry.Find(locations.RootPrefix, locations.EnvsDirs, home);
        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("envs");
                environments.ToList().ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteEndObject();
            });
            return 0;
        }

        var active = Environment.GetEnvironmentVariable("CONDA_PREFIX");
        var names = environments.Select(e => e == locations.RootPrefix ? "base"
            : locations.EnvsDirs.Any(d => string.Equals(Path.GetDirectoryName(e), Path.TrimEndingDirectorySeparator(d), StringComparison.Ordinal)) ? Path.GetFileName(e) : string.Empty).ToList();
        var width = Math.Max(20, names.Max(n => (int?)n.Length) ?? 0);
        Console.WriteLine("# conda environments:");
        Console.WriteLine("#");
        for (var i = 0; i < environments.Count; i++)
        {
            var marker = string.Equals(environments[i], active, StringComparison.Ordinal) ? "*" : " ";
            Console.WriteLine($"{names[i].PadRight(width)}  {marker}  {environments[i]}");
        }

        return 0;
    }
}
