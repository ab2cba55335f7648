using System.CommandLine;
using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Platforms;
using Krait.Conda.Records;
using Krait.Configuration;
using Krait.Install;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait list [-n NAME | -p PREFIX] [REGEX] [--full-name] [--json | --explicit [--md5] | --export | --canonical | --revisions]</c>:
/// the packages of an environment, as conda lists them; the table and <c>--json</c> also list what pip installed
/// (channel <c>pypi</c>), the other forms only conda packages.
/// </summary>
public static class ListCommand
{
    public static Command Create()
    {
        var name = new Option<string?>("--name", "-n") { Description = "name of the environment" };
        var prefix = new Option<string?>("--prefix", "-p") { Description = "path of the environment (default: the active one)" };
        var json = new Option<bool>("--json") { Description = "print conda's JSON list" };
        var explicitOption = new Option<bool>("--explicit") { Description = "print an @EXPLICIT spec file (package URLs)" };
        var md5 = new Option<bool>("--md5") { Description = "with --explicit: add #md5 to each URL" };
        var export = new Option<bool>("--export", "-e") { Description = "print name=version=build lines that krait create --file reads" };
        var canonical = new Option<bool>("--canonical", "-c") { Description = "print channel/subdir::name-version-build lines" };
        var fullName = new Option<bool>("--full-name", "-f") { Description = "the pattern is a whole package name, not a regular expression" };
        var revisions = new Option<bool>("--revisions", "-r") { Description = "the environment's revisions from conda-meta/history (krait install --revision N goes back to one)" };
        var pattern = new Argument<string?>("regex") { Description = "only packages whose name this regular expression finds something in (case-insensitive)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", "List the packages installed in an environment.") { name, prefix, json, explicitOption, md5, export, canonical, fullName, revisions, pattern };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () =>
            {
                var target = EnvironmentLocator.Resolve(parse.GetValue(name), parse.GetValue(prefix), KraitLocations.Resolve(CondaConfig.Load()));
                Installing.ChangeRunner.RepairIfInterrupted(target);
                if (parse.GetValue(revisions))
                {
                    RevisionOutput.Write(HistoryRevisions.Read(target), asJson);
                    return 0;
                }

                var installed = PrefixData.ReadInstalled(target);
                var records = Matching([.. installed.Select(i => i.Record)], r => r.Name, parse.GetValue(pattern), parse.GetValue(fullName));
                if (parse.GetValue(explicitOption))
                {
                    WriteExplicit(records, target.Path, parse.GetValue(md5));
                }
                else if (asJson)
                {
                    WriteJson(Listed(records, installed, target, parse.GetValue(pattern), parse.GetValue(fullName)));
                }
                else if (parse.GetValue(export))
                {
                    WriteHeader(records);
                    records.ToList().ForEach(r => Console.WriteLine($"{r.Name}={r.Version}={r.Build}"));
                }
                else if (parse.GetValue(canonical))
                {
                    records.ToList().ForEach(r => Console.WriteLine(PrefixRecordWriter.DistName(r)));
                }
                else
                {
                    WriteTable(Listed(records, installed, target, parse.GetValue(pattern), parse.GetValue(fullName)), target.Path);
                }

                return 0;
            });
        });
        return command;
    }

    /// <summary>A line of the list: a conda package, or a Python distribution pip installed (conda's channel <c>pypi</c>, build <c>pypi_0</c>).</summary>
    private sealed record ListedPackage(string Name, string Version, string Build, long BuildNumber, string Channel, string BaseUrl, string? Platform);

    /// <summary>The conda packages and, as conda lists them among them by name, what pip installed.</summary>
    private static List<ListedPackage> Listed(IReadOnlyList<PackageRecord> records, IReadOnlyList<InstalledPackage> installed, Install.Prefix target, string? pattern, bool fullName)
    {
        var listed = new List<ListedPackage>(records.Count);
        foreach (var record in records)
        {
            var channel = Channel.Redact(record.Channel ?? string.Empty);
            listed.Add(new ListedPackage(record.Name, record.Version, record.Build, record.BuildNumber, channel, channel, record.Subdir));
        }

        var fromPip = Matching(PythonDistributions.Read(target, installed, MachinePlatform.Current), d => d.Name, pattern, fullName);
        listed.AddRange(fromPip.Select(d => new ListedPackage(d.Name, d.Version, "pypi_0", 0, "pypi", "https://pypi.org/", "pypi")));
        listed.Sort((a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
        return listed;
    }

    /// <summary>conda's filter: a regular expression searched in each name, case-insensitively, or with --full-name the name itself.</summary>
    private static IReadOnlyList<T> Matching<T>(IReadOnlyList<T> items, Func<T, string> nameOf, string? pattern, bool fullName)
    {
        if (pattern is null)
        {
            return items;
        }

        if (fullName)
        {
            return [.. items.Where(item => nameOf(item) == pattern)];
        }

        try
        {
            var regex = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return [.. items.Where(item => regex.IsMatch(nameOf(item)))];
        }
        catch (ArgumentException e)
        {
            throw new KraitException("ArgumentError", $"'{pattern}' is not a regular expression: {e.Message}", "quote the pattern, or give --full-name for an exact name");
        }
    }

    /// <summary>The lines conda puts above a list that <c>create --file</c> reads.</summary>
    private static void WriteHeader(IReadOnlyList<PackageRecord> records)
    {
        Console.WriteLine("# This file may be used to create an environment using:");
        Console.WriteLine("# $ krait create --name <env> --file <this file>");
        Console.WriteLine($"# platform: {records.Select(r => r.Subdir).FirstOrDefault(s => s is not null && s != Platform.NoArch) ?? MachinePlatform.Current}");
    }

    /// <summary>conda's layout: columns as wide as their longest value, two spaces apart, the header behind "# ".</summary>
    private static void WriteTable(IReadOnlyList<ListedPackage> packages, string prefix)
    {
        string[] titles = ["Name", "Version", "Build", "Channel"];
        var rows = packages.Select(p => new[] { p.Name, p.Version, p.Build, p.Channel }).ToList();
        var widths = titles.Select((title, i) => rows.Select(row => row[i].Length).Append(title.Length).Max()).ToArray();
        var output = Console.Out;
        output.WriteLine($"# packages in environment at {prefix}:");
        output.WriteLine("#");
        output.WriteLine("# " + string.Join("  ", titles.Select((title, i) => title.PadRight(widths[i]))).TrimEnd());
        widths[0] += 2;
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((value, i) => value.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>conda's shape: a list of {base_url, build_number, build_string, channel, dist_name, name, platform, version}.</summary>
    private static void WriteJson(IReadOnlyList<ListedPackage> packages) => JsonOutput.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var package in packages)
        {
            writer.WriteStartObject();
            writer.WriteString("base_url", package.BaseUrl);
            writer.WriteNumber("build_number", package.BuildNumber);
            writer.WriteString("build_string", package.Build);
            writer.WriteString("channel", package.Channel);
            writer.WriteString("dist_name", $"{package.Name}-{package.Version}-{package.Build}");
            writer.WriteString("name", package.Name);
            writer.WriteString("platform", package.Platform);
            writer.WriteString("version", package.Version);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private static void WriteExplicit(IReadOnlyList<PackageRecord> records, string prefix, bool withMd5)
    {
        var output = Console.Out;
        WriteHeader(records);
        output.WriteLine("@EXPLICIT");
        foreach (var record in records)
        {
            if (record.Url is null)
            {
                throw new KraitException("CondaError", $"{record} in {prefix} has no url in conda-meta, so it cannot be written as an explicit spec");
            }

            output.WriteLine(withMd5 && record.Md5 is not null ? $"{Channel.Redact(record.Url)}#{record.Md5}" : Channel.Redact(record.Url));
        }
    }
}
