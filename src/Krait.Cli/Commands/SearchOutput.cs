using System.Globalization;
using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Records;

namespace Krait.Cli.Commands;

/// <summary>The three ways <c>krait search</c> shows records: a table, conda's <c>--info</c> blocks, and conda's JSON.</summary>
public static class SearchOutput
{
    /// <summary>A Spectre table on a terminal; conda's fixed-width lines when the output is piped (stable for scripts).</summary>
    public static void WriteTable(IReadOnlyList<PackageRecord> records)
    {
        if (!Console.IsOutputRedirected)
        {
            PackageTable.Write(records, "Name");
            return;
        }

        var output = Console.Out;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {"Name",-18} {"Version",15} {"Build",15}  {"Channel",-20}"));
        foreach (var record in records)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{record.Name,-20} {record.Version,15} {record.Build,15}  {Channel.Redact(record.Channel ?? string.Empty),-20}"));
        }
    }

    /// <summary>conda's <c>search --info</c> block per record.</summary>
    public static void WriteDetails(IReadOnlyList<PackageRecord> records)
    {
        var output = Console.Out;
        foreach (var record in records)
        {
            var title = $"{record.Name} {record.Version} {record.Build}";
            output.WriteLine(title);
            output.WriteLine(new string('-', title.Length));
            Line(output, "file name", record.FileName);
            Line(output, "name", record.Name);
            Line(output, "version", record.Version);
            Line(output, "build", record.Build);
            Line(output, "build number", record.BuildNumber.ToString(CultureInfo.InvariantCulture));
            Line(output, "size", record.Size is { } size ? ByteSizes.Human(size) : null);
            Line(output, "license", record.License);
            Line(output, "subdir", record.Subdir);
            Line(output, "url", record.Url is null ? null : Channel.Redact(record.Url));
            Line(output, "md5", record.Md5);
            Line(output, "timestamp", record.Timestamp is { } ms && ms > 0
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
                : null);
            if (record.TrackFeatureList.Count > 0)
            {
                Line(output, "track_features", DashList(record.TrackFeatureList));
            }

            if (record.Constrains.Count > 0)
            {
                Line(output, "constraints", DashList(record.Constrains));
            }

            Line(output, "dependencies", record.Depends.Count > 0 ? DashList(record.Depends) : "[]");
            output.WriteLine();
            output.WriteLine();
        }
    }

    /// <summary>conda's shape: <c>{"name": [record, …]}</c>, each record with all its fields plus fn, channel, subdir and url, keys sorted.</summary>
    public static void WriteJson(IReadOnlyList<PackageRecord> records) => JsonOutput.Write(writer =>
    {
        writer.WriteStartObject();
        string? current = null;
        foreach (var record in records)
        {
            if (record.Name != current)
            {
                if (current is not null)
                {
                    writer.WriteEndArray();
                }

                writer.WritePropertyName(record.Name);
                writer.WriteStartArray();
                current = record.Name;
            }

            RecordJson.Write(writer, record, RecordJsonStyle.CondaDump);
        }

        if (current is not null)
        {
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    });

    private static void Line(TextWriter output, string label, string? value)
    {
        if (value is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-12}: {value}"));
        }
    }

    private static string DashList(IEnumerable<string> items) => "\n" + string.Join('\n', items.Select(i => "  - " + i));
}
