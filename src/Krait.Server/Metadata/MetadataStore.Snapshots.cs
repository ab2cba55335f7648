using Dapper;

namespace Krait.Server.Metadata;

/// <summary>The source channels a curated channel is a view of, and the snapshots of them it published.</summary>
public sealed partial class MetadataStore
{
    /// <summary>Sets the channels a channel's snapshots are taken from, in priority order (the first to have a file name wins).</summary>
    public void SetSources(Actor actor, string channel, IReadOnlyList<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute("DELETE FROM channel_sources WHERE channel = @channel", new { channel }, transaction);
        connection.Execute(
            "INSERT INTO channel_sources (channel, position, source) VALUES (@channel, @position, @source)",
            sources.Select((source, position) => new { channel, position, source }),
            transaction);
        Audit(connection, transaction, actor, "channel.sources", channel, channel, string.Join(", ", sources));
        transaction.Commit();
    }

    public IReadOnlyList<string> Sources(string channel)
    {
        using var connection = Database.Open();
        return [.. connection.Query<string>("SELECT source FROM channel_sources WHERE channel = @channel ORDER BY position", new { channel })];
    }

    /// <summary>
    /// Makes a label of a channel hold exactly <paramref name="put"/> less <paramref name="removed"/>, in one
    /// transaction (a snapshot is published whole or not at all), and records the snapshot; returns its id.
    /// </summary>
    public long ReplaceFiles(Actor actor, string channel, IReadOnlyList<PackageFileRow> put, IReadOnlyList<PackageFileRow> removed, string sources, long files)
    {
        ArgumentNullException.ThrowIfNull(put);
        ArgumentNullException.ThrowIfNull(removed);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var changes = new Changes();
        foreach (var row in put)
        {
            Put(connection, transaction, row, replace: true, changes, out _);
        }

        foreach (var row in removed)
        {
            connection.Execute("DELETE FROM package_files WHERE channel = @Channel AND subdir = @Subdir AND filename = @Filename", row, transaction);
            changes.Add(row.Label, row.Subdir, row.Name);
        }

        changes.Record(connection, transaction, channel);
        var id = connection.ExecuteScalar<long>(
            "INSERT INTO channel_snapshots (channel, created, actor, sources, files, added, removed) VALUES (@channel, @created, @Name, @sources, @files, @added, @removedCount) RETURNING id",
            new { channel, created = Now(), actor.Name, sources, files, added = put.Count, removedCount = removed.Count },
            transaction);
        Audit(connection, transaction, actor, "snapshot.publish", channel, $"snapshot {id}", $"{files} files from {sources}: {put.Count} added or changed, {removed.Count} removed");
        transaction.Commit();
        return id;
    }

    public IReadOnlyList<SnapshotRow> Snapshots(string channel)
    {
        using var connection = Database.Open();
        return [.. connection.Query<SnapshotRow>(
            "SELECT id AS Id, channel AS Channel, created AS Created, actor AS Actor, sources AS Sources, files AS Files, added AS Added, removed AS Removed FROM channel_snapshots WHERE channel = @channel ORDER BY id DESC",
            new { channel })];
    }
}
