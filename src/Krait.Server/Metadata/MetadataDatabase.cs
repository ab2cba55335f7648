using System.Data.Common;
using Dapper;

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

    /// <summary>The tables and indexes, created or brought up to the newest schema version (<see cref="Migrations"/>).</summary>
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

    /// <summary>
    /// Brings the schema up to date inside <paramref name="transaction"/>: the first schema (made idempotently, as
    /// homes made before versioning have it without a version), then every later step not yet recorded in
    /// <c>schema_version</c>, each once. Steps are only ever appended: a home of any earlier version migrates.
    /// </summary>
    protected static void Upgrade(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        connection.Execute(migrations[0], transaction: transaction);
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", transaction: transaction);
        var version = connection.ExecuteScalar<long?>("SELECT MAX(version) FROM schema_version", transaction: transaction) ?? 1;
        for (var step = (int)version; step < migrations.Count; step++)
        {
            connection.Execute(migrations[step], transaction: transaction);
            connection.Execute("INSERT INTO schema_version (version) VALUES (@version)", new { version = step + 1 }, transaction);
        }
    }

    /// <summary>The schema's versions, oldest first, with the column types this database names: <c>{id}</c>, <c>{integer}</c>, <c>{bytes}</c>.</summary>
    protected static IReadOnlyList<string> Migrations(string id, string integer, string bytes) => [FirstSchema(id, integer, bytes), Commerce(id, integer)];

    /// <summary>
    /// Version 2: the access generation (counted up by every audited change, so that instances may cache who may do
    /// what and still see a change at once), organisations and their members, channels owned by organisations and commercial channels, their
    /// plans, subscriptions and seats, notices to organisations, snapshot sources, people's identities at OpenID Connect providers and sign-ins under way, downloads counted per organisation
    /// (the counts so far carried over as nobody's) and their totals per package (for channeldata.json), the dividend's upstream-project overrides, and the dividends recorded (what each rolled over).
    /// </summary>
    private static string Commerce(string id, string integer) => $"""
        CREATE TABLE access_generation (
            id {integer} PRIMARY KEY,
            generation {integer} NOT NULL);
        INSERT INTO access_generation (id, generation) VALUES (1, 0);
        CREATE TABLE organisations (
            name TEXT PRIMARY KEY,
            created TEXT NOT NULL);
        CREATE TABLE organisation_members (
            organisation TEXT NOT NULL REFERENCES organisations(name) ON DELETE CASCADE,
            user_id {integer} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            PRIMARY KEY (organisation, user_id));
        CREATE INDEX organisation_members_by_user ON organisation_members (user_id);
        ALTER TABLE channels ADD COLUMN owner_org TEXT REFERENCES organisations(name);
        ALTER TABLE channels ADD COLUMN commercial {integer} NOT NULL DEFAULT 0;
        CREATE TABLE channel_sources (
            channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
            position {integer} NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (channel, position));
        CREATE TABLE channel_snapshots (
            id {id},
            channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
            created TEXT NOT NULL,
            actor TEXT NOT NULL,
            sources TEXT NOT NULL,
            files {integer} NOT NULL,
            added {integer} NOT NULL,
            removed {integer} NOT NULL);
        CREATE TABLE plans (
            id {id},
            channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
            name TEXT NOT NULL,
            seat_price_cents {integer} NOT NULL,
            currency TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (channel, name));
        CREATE TABLE subscriptions (
            id {id},
            organisation TEXT NOT NULL REFERENCES organisations(name) ON DELETE CASCADE,
            channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
            plan TEXT NOT NULL,
            seats {integer} NOT NULL,
            seat_price_cents {integer} NOT NULL,
            currency TEXT NOT NULL,
            starts TEXT NOT NULL,
            ends TEXT NOT NULL,
            created TEXT NOT NULL);
        CREATE INDEX subscriptions_by_organisation ON subscriptions (organisation);
        CREATE TABLE subscription_seats (
            id {id},
            subscription_id {integer} NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
            user_id {integer} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            assigned TEXT NOT NULL,
            UNIQUE (subscription_id, user_id));
        CREATE INDEX subscription_seats_by_user ON subscription_seats (user_id);
        CREATE TABLE organisation_notices (
            id {id},
            organisation TEXT NOT NULL REFERENCES organisations(name) ON DELETE CASCADE,
            day TEXT NOT NULL,
            at TEXT NOT NULL,
            subject TEXT NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (organisation, day, subject));
        CREATE TABLE package_downloads (
            day TEXT NOT NULL,
            channel TEXT NOT NULL,
            subdir TEXT NOT NULL,
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            build TEXT NOT NULL,
            organisation TEXT NOT NULL,
            user_name TEXT NOT NULL,
            key_id {integer} NOT NULL,
            client TEXT NOT NULL,
            downloads {integer} NOT NULL,
            PRIMARY KEY (channel, name, day, version, build, subdir, organisation, user_name, key_id, client));
        CREATE INDEX package_downloads_by_day ON package_downloads (day, organisation);
        INSERT INTO package_downloads (day, channel, subdir, name, version, build, organisation, user_name, key_id, client, downloads)
            SELECT day, channel, subdir, name, version, build, '', user_name, key_id, client, downloads FROM download_counts;
        DROP TABLE download_counts;
        CREATE TABLE download_totals (
            channel TEXT NOT NULL,
            name TEXT NOT NULL,
            downloads {integer} NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (channel, name));
        INSERT INTO download_totals (channel, name, downloads, updated)
            SELECT channel, name, SUM(downloads), MAX(day) FROM package_downloads GROUP BY channel, name;
        ALTER TABLE audit_log ADD COLUMN organisation TEXT;
        CREATE INDEX audit_log_by_organisation ON audit_log (organisation, id);
        CREATE TABLE user_identities (
            issuer TEXT NOT NULL,
            subject TEXT NOT NULL,
            user_id {integer} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            linked TEXT NOT NULL,
            PRIMARY KEY (issuer, subject));
        CREATE TABLE oidc_logins (
            state TEXT PRIMARY KEY,
            nonce TEXT NOT NULL,
            verifier TEXT NOT NULL,
            redirect_uri TEXT NOT NULL,
            created TEXT NOT NULL);
        CREATE TABLE upstream_projects (
            package TEXT PRIMARY KEY,
            project TEXT NOT NULL);
        CREATE TABLE declined_projects (
            project TEXT PRIMARY KEY,
            declined TEXT NOT NULL);
        CREATE TABLE dividend_runs (
            id {id},
            period_from TEXT NOT NULL,
            period_to TEXT NOT NULL,
            currency TEXT NOT NULL,
            pool_cents {integer} NOT NULL,
            rolled_over_cents {integer} NOT NULL,
            report TEXT NOT NULL,
            recorded TEXT NOT NULL);
        """;

    /// <summary>Version 1, as homes made before schema versions have it.</summary>
    private static string FirstSchema(string id, string integer, string bytes) => $"""
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
