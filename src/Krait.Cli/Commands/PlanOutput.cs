using System.Globalization;
using System.Text.Json;
using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Install.Transactions;

namespace Krait.Cli.Commands;

/// <summary>How a transaction plan is shown: a table for people, conda's <c>actions</c> JSON for programs.</summary>
public static class PlanOutput
{
    public static void WriteTable(IReadOnlyList<PackageRecord> records, string prefix, TimeSpan elapsed, bool dryRun)
    {
        var output = Console.Out;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Solved in {elapsed.TotalMilliseconds:F0} ms."));
        output.WriteLine();
        output.WriteLine($"Environment: {prefix}");
        output.WriteLine();
        if (!Console.IsOutputRedirected)
        {
            PackageTable.Write(records, "Package");
        }
        else
        {
            // Columns as wide as their longest entry, so that long names keep the table aligned in a file or a pipe.
            var name = Math.Max("Package".Length, records.Count == 0 ? 0 : records.Max(r => r.Name.Length));
            var version = Math.Max("Version".Length, records.Count == 0 ? 0 : records.Max(r => r.Version.Length));
            var build = Math.Max("Build".Length, records.Count == 0 ? 0 : records.Max(r => r.Build.Length));
            output.WriteLine($"  {"Package".PadRight(name)}  {"Version".PadRight(version)}  {"Build".PadRight(build)}  Channel");
            foreach (var record in records)
            {
                output.WriteLine($"  {record.Name.PadRight(name)}  {record.Version.PadRight(version)}  {record.Build.PadRight(build)}  {Channel.Redact(record.Channel ?? string.Empty)}");
            }
        }

        output.WriteLine();
        var count = records.Count == 1 ? "1 package." : $"{records.Count} packages.";
        output.WriteLine(dryRun ? $"{count} Dry run: nothing was installed." : count);
    }

    /// <summary>conda's shape for create: <c>{"success", "dry_run", "actions": {"FETCH", "LINK", "PREFIX"}}</c>.</summary>
    public static void WriteJson(IReadOnlyList<PackageRecord> records, string prefix, bool dryRun) => WriteActions(records, null, prefix, dryRun);

    /// <summary>The changes to an existing environment: what is removed, updated, downgraded, installed.</summary>
    public static void WriteChanges(TransactionPlan plan, string prefix, bool dryRun)
    {
        var output = Console.Out;
        output.WriteLine($"Environment: {prefix}");
        output.WriteLine();
        var rows = new List<(string Change, PackageRecord Record, string? From)>();
        foreach (var record in plan.Link)
        {
            var old = plan.Unlink.FirstOrDefault(u => u.Record.Name == record.Name)?.Record;
            var change = old is null ? "install"
                : old.TryGetParsedVersion(out var before) && record.TryGetParsedVersion(out var after) && after.CompareTo(before) < 0 ? "downgrade"
                : old.Version == record.Version && old.Build == record.Build ? "reinstall"
                : "update";
            rows.Add((change, record, old is null ? null : $"{old.Version}-{old.Build}"));
        }

        foreach (var package in plan.Unlink.Where(u => !plan.Link.Any(l => l.Name == u.Record.Name)))
        {
            rows.Add(("remove", package.Record, null));
        }

        foreach (var (change, record, from) in rows.OrderBy(r => r.Record.Name, StringComparer.Ordinal))
        {
            var target = from is null ? $"{record.Version}-{record.Build}" : $"{from} -> {record.Version}-{record.Build}";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {change,-10} {record.Name,-26} {target,-40} {Channel.Redact(record.Channel ?? string.Empty)}"));
        }

        output.WriteLine();
        var summary = string.Join(", ", rows.GroupBy(r => r.Change).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} to {g.Key}"));
        output.WriteLine(dryRun ? $"{summary}. Dry run: nothing was changed." : $"{summary}.");
    }

    /// <summary>conda's shape for install, update and remove: <c>FETCH</c>, <c>LINK</c>, <c>PREFIX</c>, <c>UNLINK</c>.</summary>
    public static void WriteChangesJson(TransactionPlan plan, string prefix, bool dryRun) =>
        WriteActions(plan.Link, [.. plan.Unlink.Select(u => u.Record)], prefix, dryRun);

    /// <summary>The <c>actions</c> object; <c>UNLINK</c> only where the command can remove anything.</summary>
    private static void WriteActions(IReadOnlyList<PackageRecord> link, IReadOnlyList<PackageRecord>? unlink, string prefix, bool dryRun) => JsonOutput.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("actions");
        writer.WriteStartArray("FETCH");
        foreach (var record in link)
        {
            writer.WriteStartObject();
            WriteIdentity(writer, record);
            WriteIfPresent(writer, "md5", record.Md5);
            WriteIfPresent(writer, "sha256", record.Sha256);
            if (record.Size is { } size)
            {
                writer.WriteNumber("size", size);
            }

            WriteIfPresent(writer, "url", record.Url is null ? null : Channel.Redact(record.Url));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteIdentities(writer, "LINK", link);
        writer.WriteString("PREFIX", prefix);
        if (unlink is not null)
        {
            WriteIdentities(writer, "UNLINK", unlink);
        }

        writer.WriteEndObject();
        writer.WriteBoolean("dry_run", dryRun);
        writer.WriteBoolean("success", true);
        writer.WriteEndObject();
    });

    private static void WriteIdentities(Utf8JsonWriter writer, string key, IReadOnlyList<PackageRecord> records)
    {
        writer.WriteStartArray(key);
        foreach (var record in records)
        {
            writer.WriteStartObject();
            WriteIdentity(writer, record);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteIdentity(Utf8JsonWriter writer, PackageRecord record)
    {
        writer.WriteNumber("build_number", record.BuildNumber);
        writer.WriteString("build_string", record.Build);
        WriteIfPresent(writer, "channel", record.Channel is null ? null : Channel.Redact(record.Channel));
        writer.WriteString("fn", record.FileName);
        writer.WriteString("name", record.Name);
        WriteIfPresent(writer, "subdir", record.Subdir);
        writer.WriteString("version", record.Version);
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(key, value);
        }
    }
}
