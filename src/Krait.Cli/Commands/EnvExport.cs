using Krait.Conda.Channels;
using Krait.Conda.Parsing;
using Krait.Conda.Platforms;
using Krait.Configuration;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait env export [-n NAME | -p PREFIX] [--from-history]</c>: the environment as an environment.yml (CEP-24),
/// with what pip installed as its <c>pip:</c> section (not with <c>--from-history</c>, as in conda).
/// </summary>
public static class EnvExport
{
    public static int Run(string? name, string? prefix, bool fromHistory, bool noBuilds)
    {
        var target = EnvironmentLocator.Resolve(name, prefix, KraitLocations.Resolve(CondaConfig.Load()));
        Installing.ChangeRunner.RepairIfInterrupted(target);
        var installed = PrefixData.ReadInstalled(target);
        var records = installed.Select(i => i.Record).ToList();
        var channels = records
            .Select(r => r.Channel)
            .Where(c => !string.IsNullOrEmpty(c))
            .Select(c => StripSubdir(c!))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var dependencies = fromHistory
            ? HistoryReader.RequestedSpecs(target)
            : [.. records.Select(r => noBuilds ? $"{r.Name}={r.Version}" : $"{r.Name}={r.Version}={r.Build}")];

        var output = Console.Out;
        output.WriteLine($"name: {YamlScalar.Write(Path.GetFileName(target.Path))}");
        output.WriteLine("channels:");
        channels.ForEach(c => output.WriteLine($"  - {YamlScalar.Write(Channel.Redact(c))}"));
        output.WriteLine("dependencies:");
        dependencies.ToList().ForEach(d => output.WriteLine($"  - {YamlScalar.Write(d)}"));
        if (!fromHistory && PythonDistributions.Read(target, installed, MachinePlatform.Current) is { Count: > 0 } fromPip)
        {
            // What pip installed, in conda's form, so that krait env create -f gives it back.
            output.WriteLine("  - pip:");
            fromPip.ToList().ForEach(d => output.WriteLine($"      - {YamlScalar.Write($"{d.Name}=={d.Version}")}"));
        }

        output.WriteLine($"prefix: {YamlScalar.Write(target.Path)}");
        return 0;
    }

    /// <summary>conda-meta keeps the channel with its subdir (<c>…/conda-forge/linux-64</c>); environment.yml wants the channel.</summary>
    private static string StripSubdir(string channel)
    {
        var slash = channel.LastIndexOf('/');
        return slash > 0 && Platform.IsKnown(channel[(slash + 1)..]) ? channel[..slash] : channel;
    }
}
