using System.Data.Common;

namespace Krait.Server.Metadata;

/// <summary>
/// The database behind <see cref="MetadataStore"/>: SQLite (one server on one machine, the default) or PostgreSQL
/// (several servers sharing one repository). The queries are the store's, written once in SQL both accept; what
/// differs is here: how a connection is opened, the schema's column types, and how work is serialised across
/// processes.
/// </summary>
public abstract class MetadataDatabase
{
    /// <summary>The database, from the <c>database</c> setting: a PostgreSQL URL (<c>postgres://…</c>) or connection string (<c>Host=…</c>), else a SQLite file.</summary>
    public static MetadataDatabase Of(string setting, string home)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return PostgresDatabase.IsConnection(setting) ? new PostgresDatabase(setting) : new SqliteDatabase(Path.GetFullPath(setting, home));
    }

    /// <summary>What to tell people about this database: a path or a host, never a password.</summary>
    public abstract string Description { get; }

    /// <summary>The tables and indexes, created if they are missing.</summary>
    public abstract void Migrate();

    public abstract DbConnection Open();

    /// <summary>
    /// SQL for "<paramref name="column"/> is one of the list parameter <paramref name="parameter"/>": Dapper expands a
    /// list into <c>IN (…)</c> for SQLite, but hands it to Npgsql as one array, which PostgreSQL compares with ANY.
    /// </summary>
    public abstract string OneOf(string column, string parameter);

    /// <summary>
    /// Holds <paramref name="key"/> across every server sharing the database until disposed (one publication of a
    /// channel label at a time, whichever instance runs it).
    /// </summary>
    public abstract Task<IAsyncDisposable> LockAsync(string key, CancellationToken cancellation);

    /// <summary>The schema with the column types this database names: <c>{id}</c>, <c>{integer}</c>, <c>{bytes}</c>.</summary>
    protected static string Schema(string id, string integer, string bytes) => $"""
        CREATE TABLE IF NOT EXISTS users (
            id {id},
            name TEXT NOT NULL UNIQUE,
            is_admin {integer} NOT NULL,
            created TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS user_passwords (
            user_id {integer} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            hash TEXT NOT NULL,
            changed TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS api_keys (
            id {id},
            key_hash TEXT NOT NULL UNIQUE,
            user_id {integer} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            description TEXT,
            created TEXT NOT NULL,
            expires TEXT,
            revoked {integer} NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS channels (
            name TEXT PRIMARY KEY,
            private {integer} NOT NULL,
            owner_id {integer} REFERENCES users(id),
            mirror_channel_url TEXT,
            mirror_mode TEXT,
            mirror_filter TEXT,
            created TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS channel_members (
            channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
            user_id {integer} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            PRIMARY KEY (channel, user_id));
        CREATE TABLE IF NOT EXISTS api_key_roles (
            key_id {integer} NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            package TEXT,
            role TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS api_key_roles_by_key ON api_key_roles (key_id);
        CREATE TABLE IF NOT EXISTS audit_log (
            id {id},
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            origin TEXT NOT NULL,
            action TEXT NOT NULL,
            channel TEXT,
            subject TEXT NOT NULL,
            detail TEXT);
        CREATE INDEX IF NOT EXISTS audit_log_by_channel ON audit_log (channel, id);
        CREATE TABLE IF NOT EXISTS download_counts (
            day TEXT NOT NULL,
            channel TEXT NOT NULL,
            subdir TEXT NOT NULL,
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            build TEXT NOT NULL,
            user_name TEXT NOT NULL,
            key_id {integer} NOT NULL,
            client TEXT NOT NULL,
            downloads {integer} NOT NULL,
            PRIMARY KEY (channel, name, day, version, build, subdir, user_name, key_id, client));
        CREATE TABLE IF NOT EXISTS package_files (
            channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
            subdir TEXT NOT NULL,
            filename TEXT NOT NULL,
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size {integer} NOT NULL,
            timestamp {integer} NOT NULL,
            record {bytes} NOT NULL,
            about {bytes},
            run_exports {bytes},
            post_install {integer} NOT NULL,
            uploader TEXT,
            uploaded TEXT NOT NULL,
            PRIMARY KEY (channel, subdir, filename));
        CREATE INDEX IF NOT EXISTS package_files_by_label ON package_files (channel, label, subdir, name);
        CREATE INDEX IF NOT EXISTS package_files_by_name ON package_files (channel, name);
        CREATE TABLE IF NOT EXISTS subdir_generations (
            channel TEXT NOT NULL,
            label TEXT NOT NULL,
            subdir TEXT NOT NULL,
            generation {integer} NOT NULL,
            monolith_generation {integer} NOT NULL DEFAULT 0,
            shard_index_generation {integer} NOT NULL DEFAULT 0,
            PRIMARY KEY (channel, label, subdir));
        CREATE TABLE IF NOT EXISTS subdir_changes (
            channel TEXT NOT NULL,
            label TEXT NOT NULL,
            subdir TEXT NOT NULL,
            generation {integer} NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (channel, label, subdir, generation, name));
        """;
}
