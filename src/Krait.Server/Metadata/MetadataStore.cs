using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Krait.Server.Metadata;

/// <summary>
/// The server's metadata in SQLite (write-ahead log, so that readers never wait for a writer): users, API keys (as
/// hashes), channels, and every package file with its index record. Every write is one transaction.
/// </summary>
public sealed class MetadataStore(string databasePath)
{
    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            is_admin INTEGER NOT NULL,
            created TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS api_keys (
            id INTEGER PRIMARY KEY,
            key_hash TEXT NOT NULL UNIQUE,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            description TEXT,
            created TEXT NOT NULL,
            expires TEXT,
            revoked INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS channels (
            name TEXT PRIMARY KEY,
            private INTEGER NOT NULL,
            owner_id INTEGER REFERENCES users(id),
            mirror_channel_url TEXT,
            mirror_mode TEXT,
            mirror_filter TEXT,
            created TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS package_files (
            channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
            subdir TEXT NOT NULL,
            filename TEXT NOT NULL,
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            record BLOB NOT NULL,
            about BLOB,
            run_exports BLOB,
            post_install INTEGER NOT NULL,
            uploader TEXT,
            uploaded TEXT NOT NULL,
            PRIMARY KEY (channel, subdir, filename));
        CREATE INDEX IF NOT EXISTS package_files_by_label ON package_files (channel, label, subdir, name);
        CREATE INDEX IF NOT EXISTS package_files_by_name ON package_files (channel, name);
        """;

    public void Migrate()
    {
        using var connection = Open();
        connection.Execute(Schema);
    }

    public UserRow AddUser(string name, bool isAdmin)
    {
        using var connection = Open();
        var id = connection.ExecuteScalar<long>(
            "INSERT INTO users (name, is_admin, created) VALUES (@name, @isAdmin, @created) RETURNING id",
            new { name, isAdmin, created = Now() });
        return new UserRow { Id = id, Name = name, IsAdmin = isAdmin };
    }

    public UserRow? FirstAdministrator()
    {
        using var connection = Open();
        return connection.QueryFirstOrDefault<UserRow>("SELECT id AS Id, name AS Name, is_admin AS IsAdmin FROM users WHERE is_admin = 1 ORDER BY id LIMIT 1");
    }

    public void AddApiKey(long userId, string keyHash, string? description, DateTimeOffset? expires)
    {
        using var connection = Open();
        connection.Execute(
            "INSERT INTO api_keys (key_hash, user_id, description, created, expires) VALUES (@keyHash, @userId, @description, @created, @expires)",
            new { keyHash, userId, description, created = Now(), expires = expires?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) });
    }

    /// <summary>The user a key hash belongs to, if the key is neither revoked nor expired.</summary>
    public UserRow? UserOfKey(string keyHash)
    {
        using var connection = Open();
        return connection.QuerySingleOrDefault<UserRow>(
            """
            SELECT users.id AS Id, users.name AS Name, users.is_admin AS IsAdmin FROM api_keys JOIN users ON users.id = api_keys.user_id
            WHERE api_keys.key_hash = @keyHash AND api_keys.revoked = 0 AND (api_keys.expires IS NULL OR api_keys.expires > @now)
            """,
            new { keyHash, now = Now() });
    }

    public ChannelRow? Channel(string name)
    {
        using var connection = Open();
        return connection.QuerySingleOrDefault<ChannelRow>(
            $"SELECT {ChannelColumns} FROM channels WHERE name = @name", new { name });
    }

    public IReadOnlyList<ChannelRow> Channels()
    {
        using var connection = Open();
        return [.. connection.Query<ChannelRow>($"SELECT {ChannelColumns} FROM channels ORDER BY name")];
    }

    private const string ChannelColumns =
        "name AS Name, private AS Private, owner_id AS OwnerId, mirror_channel_url AS MirrorChannelUrl, mirror_mode AS MirrorMode, mirror_filter AS MirrorFilter, created AS Created";

    /// <summary>Adds a channel (a mirror or proxy when <paramref name="mirror"/> is given); false when one of that name exists.</summary>
    public bool AddChannel(string name, bool isPrivate, long? ownerId, MirrorSettings? mirror = null)
    {
        using var connection = Open();
        return connection.Execute(
            """
            INSERT INTO channels (name, private, owner_id, mirror_channel_url, mirror_mode, mirror_filter, created)
            VALUES (@name, @isPrivate, @ownerId, @url, @mode, @filter, @created) ON CONFLICT (name) DO NOTHING
            """,
            new { name, isPrivate, ownerId, url = mirror?.Url, mode = mirror?.ModeText, filter = mirror?.FilterText, created = Now() }) == 1;
    }

    public void DeleteChannel(string name)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute("DELETE FROM package_files WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM channels WHERE name = @name", new { name }, transaction);
        transaction.Commit();
    }

    private const string FileColumns = """
        channel AS Channel, subdir AS Subdir, filename AS Filename, label AS Label, name AS Name, version AS Version, sha256 AS Sha256,
        size AS Size, timestamp AS Timestamp, record AS Record, about AS About, run_exports AS RunExports, post_install AS PostInstall,
        uploader AS Uploader, uploaded AS Uploaded
        """;

    public PackageFileRow? File(string channel, string subdir, string filename)
    {
        using var connection = Open();
        return connection.QuerySingleOrDefault<PackageFileRow>(
            $"SELECT {FileColumns} FROM package_files WHERE channel = @channel AND subdir = @subdir AND filename = @filename",
            new { channel, subdir, filename });
    }

    /// <summary>The files of one label's subdir: what its repodata lists.</summary>
    public IReadOnlyList<PackageFileRow> Files(string channel, string label, string subdir)
    {
        using var connection = Open();
        return [.. connection.Query<PackageFileRow>(
            $"SELECT {FileColumns} FROM package_files WHERE channel = @channel AND label = @label AND subdir = @subdir ORDER BY filename",
            new { channel, label, subdir })];
    }

    /// <summary>The files of some package names in one label's subdir.</summary>
    public IReadOnlyList<PackageFileRow> Files(string channel, string label, string subdir, IReadOnlySet<string> names)
    {
        using var connection = Open();
        return [.. connection.Query<PackageFileRow>(
            $"SELECT {FileColumns} FROM package_files WHERE channel = @channel AND label = @label AND subdir = @subdir AND name IN @names ORDER BY filename",
            new { channel, label, subdir, names = names.ToArray() })];
    }

    /// <summary>Every file of the channel (all labels), optionally of one package name.</summary>
    public IReadOnlyList<PackageFileRow> FilesOf(string channel, string? name = null)
    {
        using var connection = Open();
        return [.. connection.Query<PackageFileRow>(
            $"SELECT {FileColumns} FROM package_files WHERE channel = @channel AND (@name IS NULL OR name = @name) ORDER BY name, filename",
            new { channel, name })];
    }

    /// <summary>The subdirs a label has files in.</summary>
    public IReadOnlyList<string> Subdirs(string channel, string label)
    {
        using var connection = Open();
        return [.. connection.Query<string>("SELECT DISTINCT subdir FROM package_files WHERE channel = @channel AND label = @label ORDER BY subdir", new { channel, label })];
    }

    /// <summary>The labels a channel has files in.</summary>
    public IReadOnlyList<string> Labels(string channel)
    {
        using var connection = Open();
        return [.. connection.Query<string>("SELECT DISTINCT label FROM package_files WHERE channel = @channel ORDER BY label", new { channel })];
    }

    /// <summary>Adds or (when forced) replaces a file's row.</summary>
    public void PutFile(PackageFileRow row) => PutFiles([row]);

    /// <summary>Adds or replaces many files' rows in one transaction (a mirror's synchronisation, a bulk import).</summary>
    public void PutFiles(IEnumerable<PackageFileRow> rows)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            """
            INSERT INTO package_files (channel, subdir, filename, label, name, version, sha256, size, timestamp, record, about, run_exports, post_install, uploader, uploaded)
            VALUES (@Channel, @Subdir, @Filename, @Label, @Name, @Version, @Sha256, @Size, @Timestamp, @Record, @About, @RunExports, @PostInstall, @Uploader, @Uploaded)
            ON CONFLICT (channel, subdir, filename) DO UPDATE SET
                label = excluded.label, name = excluded.name, version = excluded.version, sha256 = excluded.sha256, size = excluded.size,
                timestamp = excluded.timestamp, record = excluded.record, about = excluded.about, run_exports = excluded.run_exports,
                post_install = excluded.post_install, uploader = excluded.uploader, uploaded = excluded.uploaded
            """,
            rows,
            transaction);
        transaction.Commit();
    }

    public bool DeleteFile(string channel, string subdir, string filename)
    {
        using var connection = Open();
        return connection.Execute("DELETE FROM package_files WHERE channel = @channel AND subdir = @subdir AND filename = @filename", new { channel, subdir, filename }) == 1;
    }

    public static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
