using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Krait.Server.Metadata;

/// <summary>
/// Metadata in one SQLite file with a write-ahead log, so that readers never wait for a writer. It serves one server
/// process: publications are serialised inside that process (<see cref="Publishing.ChannelPublisher"/>), so
/// <see cref="LockAsync"/> has nothing to add; several servers share a PostgreSQL database instead.
/// </summary>
public sealed class SqliteDatabase(string path) : MetadataDatabase
{
    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public string Path { get; } = path;

    public override string Description => Path;

    public override void Migrate()
    {
        using var connection = Open();
        connection.Execute("PRAGMA journal_mode = WAL;");

        // An immediate transaction: two processes opening one home migrate one after the other.
        using var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        Upgrade(connection, transaction, Migrations("INTEGER PRIMARY KEY", "INTEGER", "BLOB"));
        transaction.Commit();
    }

    public override string OneOf(string column, string parameter) => $"{column} IN @{parameter}";

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    public override Task<IAsyncDisposable> LockAsync(string key, CancellationToken cancellation) => Task.FromResult<IAsyncDisposable>(NothingHeld.Instance);

    private sealed class NothingHeld : IAsyncDisposable
    {
        public static readonly NothingHeld Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
