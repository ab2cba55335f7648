using System.Text.Json;
using Krait.Conda.Parsing;

namespace Krait.Install.Transactions;

/// <summary>
/// The record of a transaction in progress, written (flushed to disk, then renamed into place) before the prefix is
/// touched, and rewritten with <see cref="Committed"/> once the new state is complete. With it, a krait killed at any
/// moment leaves a prefix that the next krait returns to the old state (not committed) or finishes (committed):
/// <list type="bullet">
/// <item><see cref="Moved"/>: paths that existed before and are moved into the backup folder (removed, or replaced);</item>
/// <item><see cref="Created"/>: paths the transaction writes;</item>
/// <item><see cref="CreatedDirectories"/>: folders that did not exist before, shallowest first.</item>
/// </list>
/// Every step of the transaction and of its recovery can be repeated, so a recovery that is itself killed is simply
/// run again.
/// </summary>
public sealed record TransactionJournal(
    string Id,
    string Command,
    bool Committed,
    IReadOnlyList<string> Moved,
    IReadOnlyList<string> Created,
    IReadOnlyList<string> CreatedDirectories)
{
    /// <summary>Inside the prefix, so that moving a file into the backup is a rename on the same file system.</summary>
    public const string FolderName = ".krait-transaction";

    public static string Folder(string prefix) => Path.Combine(prefix, FolderName);

    public static string BackupFolder(string prefix) => Path.Combine(Folder(prefix), "backup");

    private static string FilePath(string prefix) => Path.Combine(Folder(prefix), "journal.json");

    public void Write(string prefix)
    {
        Directory.CreateDirectory(Folder(prefix));
        var path = FilePath(prefix);
        var partial = path + ".partial";
        using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteNumber("journal_version", 1);
                writer.WriteString("id", Id);
                writer.WriteString("command", Command);
                writer.WriteBoolean("committed", Committed);
                WriteList(writer, "moved", Moved);
                WriteList(writer, "created", Created);
                WriteList(writer, "created_directories", CreatedDirectories);
                writer.WriteEndObject();
            }

            // The journal must be on disk before the first change it describes.
            stream.Flush(flushToDisk: true);
        }

        File.Move(partial, path, overwrite: true);
    }

    /// <summary>The journal of an interrupted transaction, or null when the prefix has none.</summary>
    public static TransactionJournal? TryRead(string prefix)
    {
        var path = FilePath(prefix);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var journal = new TransactionJournal(
                root.String("id") ?? throw new InvalidDataException("no \"id\""),
                root.String("command") ?? string.Empty,
                root.TryGetProperty("committed", out var committed) && committed.ValueKind == JsonValueKind.True,
                root.Strings("moved"),
                root.Strings("created"),
                root.Strings("created_directories"));
            foreach (var relative in journal.Moved.Concat(journal.Created).Concat(journal.CreatedDirectories))
            {
                PrefixPaths.Check(relative, path);
            }

            return journal;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException)
        {
            throw new InstallException($"the journal of an interrupted transaction, {path}, cannot be read ({e.Message}); the environment may be half-changed: recreate it", e);
        }
    }

    /// <summary>Removes the backup first and the journal last, so that a clean-up killed half-way is found and finished.</summary>
    public static void Delete(string prefix)
    {
        var folder = Folder(prefix);
        if (!Directory.Exists(folder))
        {
            return;
        }

        var backup = BackupFolder(prefix);
        if (Directory.Exists(backup))
        {
            Directory.Delete(backup, recursive: true);
        }

        File.Delete(FilePath(prefix));
        Directory.Delete(folder, recursive: true);
    }

    private static void WriteList(Utf8JsonWriter writer, string key, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(key);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
