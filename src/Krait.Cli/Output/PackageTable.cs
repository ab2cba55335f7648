using Krait.Conda.Channels;
using Krait.Conda.Records;
using Spectre.Console;

namespace Krait.Cli.Output;

/// <summary>Records as a terminal table: name, version, build and channel (tokens redacted).</summary>
public static class PackageTable
{
    public static void Write(IReadOnlyList<PackageRecord> records, string nameHeader)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(nameHeader);
        table.AddColumn(new TableColumn("Version").RightAligned());
        table.AddColumn(new TableColumn("Build").RightAligned());
        table.AddColumn("Channel");
        foreach (var record in records)
        {
            table.AddRow(Markup.Escape(record.Name), Markup.Escape(record.Version), Markup.Escape(record.Build), Markup.Escape(Channel.Redact(record.Channel ?? string.Empty)));
        }

        AnsiConsole.Write(table);
    }
}
