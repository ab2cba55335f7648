using System.CommandLine;
using Krait.Cli.Output;
using Krait.Conda.Specs;
using Krait.Configuration;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait compare [-n NAME | -p PREFIX] [--json] environment.yml</c>, as <c>conda compare</c>: whether every
/// dependency of the file is met by what the environment has installed (exit 0), or which are missing or met by a
/// package that does not match (exit 1). Like conda, it compares the conda dependencies; a <c>pip:</c> section is not compared.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var name = new Option<string?>("--name", "-n") { Description = "name of the environment" };
        var prefix = new Option<string?>("--prefix", "-p") { Description = "path of the environment (default: the active one)" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var file = new Argument<string>("file") { Description = "the environment.yml to compare with" };
        var command = new Command("compare", "Compare an environment with an environment.yml.") { name, prefix, json, file };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () => Run(parse.GetValue(name), parse.GetValue(prefix), parse.GetValue(file)!, asJson));
        });
        return command;
    }

    private static int Run(string? name, string? prefixPath, string path, bool json)
    {
        var environmentFile = Installing.EnvironmentFileInput.Read(path);
        var locations = KraitLocations.Resolve(CondaConfig.Load());
        var prefix = EnvironmentLocator.Resolve(name, prefixPath, locations);
        if (!prefix.IsEnvironment)
        {
            throw new KraitException("EnvironmentLocationNotFound", $"{prefix} is not an environment");
        }

        var installed = PrefixData.Read(prefix);
        var mismatches = new List<string>();
        foreach (var dependency in environmentFile.Dependencies)
        {
            var spec = MatchSpec.Parse(dependency, locations.Paths);
            var sameName = installed.Where(r => spec.Name.Matches(r.Name)).ToList();
            if (sameName.Count == 0)
            {
                mismatches.Add($"{spec.Name} not found");
            }
            else if (!sameName.Exists(spec.Matches))
            {
                mismatches.Add($"{spec.Name} found but mismatch. Specification pkg: {dependency}, Running pkg: {string.Join(", ", sameName.Select(r => $"{r.Name}=={r.Version}={r.Build}"))}");
            }
        }

        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("success", mismatches.Count == 0);
                w.WriteStartArray("mismatches");
                mismatches.ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        else if (mismatches.Count == 0)
        {
            Console.WriteLine("Success. All the packages in the specification file are present in the environment with matching version and build string.");
        }
        else
        {
            mismatches.ForEach(Console.WriteLine);
        }

        return mismatches.Count == 0 ? 0 : 1;
    }
}
