using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Krait.Server.Metadata;

/// <summary>
/// The server's metadata: users, API keys (as hashes), channels, and every package file with its index record; and
/// per label and subdir a generation, counted up by every change to its files, with the package names each change
/// touched, so that a server instance can catch up with what others changed (<see cref="ChangesSince"/>). Every write
/// is one transaction. The SQL is written once for both databases (<see cref="MetadataDatabase"/>).
/// </summary>
public sealed partial class MetadataStore(MetadataDatabase database)
{
    /// <summary>How many generations of changes are kept per subdir; an instance further behind reloads the subdir whole.</summary>
    public const long KeptGenerations = 10_000;

    public MetadataDatabase Database { get; } = database;

    public void Migrate() => Database.Migrate();

    /// <summary>Holds a lock shared by every server instance on this database (see <see cref="MetadataDatabase.LockAsync"/>).</summary>
    public Task<IAsyncDisposable> LockAsync(string key, CancellationToken cancellation) => Database.LockAsync(key, cancellation);

    public UserRow AddUser(Actor actor, string name, bool isAdmin)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var id = connection.ExecuteScalar<long>(
            "INSERT INTO users (name, is_admin, created) VALUES (@name, @isAdmin, @created) RETURNING id",
            new { name, isAdmin = Flag(isAdmin), created = Now() },
            transaction);
        Audit(connection, transaction, actor, "user.add", null, name, isAdmin ? "administrator" : null);
        transaction.Commit();
        return new UserRow { Id = id, Name = name, IsAdmin = isAdmin };
    }

    public UserRow? FirstAdministrator()
    {
        using var connection = Database.Open();
        return connection.QueryFirstOrDefault<UserRow>("SELECT id AS Id, name AS Name, is_admin AS IsAdmin FROM users WHERE is_admin = 1 ORDER BY id LIMIT 1");
    }

    public UserRow? User(string name)
    {
        using var connection = Database.Open();
        return connection.QuerySingleOrDefault<UserRow>("SELECT id AS Id, name AS Name, is_admin AS IsAdmin FROM users WHERE name = @name", new { name });
    }

    /// <summary>Sets a user's password hash (an Argon2id PHC string).</summary>
    public void SetPassword(Actor actor, UserRow user, string hash)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            "INSERT INTO user_passwords (user_id, hash, changed) VALUES (@id, @hash, @changed) ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, changed = excluded.changed",
            new { id = user.Id, hash, changed = Now() },
            transaction);
        Audit(connection, transaction, actor, "user.password", null, user.Name, null);
        transaction.Commit();
    }

    /// <summary>A user's password hash, or null when they have none (keys only).</summary>
    public string? PasswordHash(long userId)
    {
        using var connection = Database.Open();
        return connection.QuerySingleOrDefault<string>("SELECT hash FROM user_passwords WHERE user_id = @userId", new { userId });
    }

    /// <summary>Adds a key (its hash) of a user, scoped to <paramref name="scopes"/> when any are given; returns its id.</summary>
    public long AddApiKey(Actor actor, UserRow user, string keyHash, string? description, DateTimeOffset? expires, IReadOnlyList<KeyRole>? scopes = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var userId = user.Id;
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var id = connection.ExecuteScalar<long>(
            "INSERT INTO api_keys (key_hash, user_id, description, created, expires) VALUES (@keyHash, @userId, @description, @created, @expires) RETURNING id",
            new { keyHash, userId, description, created = Now(), expires = expires?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) },
            transaction);
        connection.Execute(
            "INSERT INTO api_key_roles (key_id, channel, package, role) VALUES (@id, @Channel, @Package, @role)",
            (scopes ?? []).Select(s => new { id, s.Channel, s.Package, role = ChannelRoles.Name(s.Role) }),
            transaction);
        var scopeText = string.Join(", ", (scopes ?? []).Select(s => $"{s.Channel}{(s.Package is null ? string.Empty : "/" + s.Package)}:{ChannelRoles.Name(s.Role)}"));
        Audit(connection, transaction, actor, "key.create", scopes is { Count: 1 } ? scopes[0].Channel : null, $"key {id} of {user.Name}",
            $"{(scopeText.Length == 0 ? "as the user" : scopeText)}{(expires is { } until ? $"; expires {until.UtcDateTime:O}" : string.Empty)}");
        transaction.Commit();
        return id;
    }

    /// <summary>The key with this hash and its user, if the key is neither revoked nor expired (looked up by hash: no secret is compared in code).</summary>
    public ApiKeyRow? LiveKey(string keyHash)
    {
        using var connection = Database.Open();
        return connection.QuerySingleOrDefault<ApiKeyRow>(
            $"""
            SELECT {KeyColumns} FROM api_keys JOIN users ON users.id = api_keys.user_id
            WHERE api_keys.key_hash = @keyHash AND api_keys.revoked = 0 AND (api_keys.expires IS NULL OR api_keys.expires > @now)
            """,
            new { keyHash, now = Now() });
    }

    /// <summary>The keys of one user, or of everyone (never the keys themselves: only their hashes are stored).</summary>
    public IReadOnlyList<ApiKeyRow> Keys(long? userId)
    {
        using var connection = Database.Open();
        return userId is { } id
            ? [.. connection.Query<ApiKeyRow>($"SELECT {KeyColumns} FROM api_keys JOIN users ON users.id = api_keys.user_id WHERE api_keys.user_id = @id ORDER BY api_keys.id", new { id })]
            : [.. connection.Query<ApiKeyRow>($"SELECT {KeyColumns} FROM api_keys JOIN users ON users.id = api_keys.user_id ORDER BY api_keys.id")];
    }

    private const string KeyColumns = """
        api_keys.id AS Id, users.id AS UserId, users.name AS UserName, users.is_admin AS IsAdmin, api_keys.description AS Description,
        api_keys.created AS Created, api_keys.expires AS Expires, api_keys.revoked AS Revoked
        """;

    /// <summary>A key's scopes; empty when it acts as its user.</summary>
    public IReadOnlyList<KeyRole> KeyScopes(long keyId)
    {
        using var connection = Database.Open();
        return [.. connection.Query<(string Channel, string? Package, string Role)>("SELECT channel, package, role FROM api_key_roles WHERE key_id = @keyId", new { keyId })
            .Select(r => new KeyRole(r.Channel, r.Package, ChannelRoles.TryParse(r.Role, out var role) ? role : ChannelRole.None))];
    }

    /// <summary>Revokes a key, at once for every instance (each request looks its key up); false when there is no such live key.</summary>
    public bool RevokeKey(Actor actor, long keyId)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        if (connection.Execute("UPDATE api_keys SET revoked = 1 WHERE id = @keyId AND revoked = 0", new { keyId }, transaction) != 1)
        {
            return false;
        }

        var owner = connection.ExecuteScalar<string>("SELECT users.name FROM api_keys JOIN users ON users.id = api_keys.user_id WHERE api_keys.id = @keyId", new { keyId }, transaction);
        Audit(connection, transaction, actor, "key.revoke", null, $"key {keyId} of {owner}", null);
        transaction.Commit();
        return true;
    }

    /// <summary>The members of a channel with their roles, by name.</summary>
    public IReadOnlyList<(string User, ChannelRole Role)> Members(string channel)
    {
        using var connection = Database.Open();
        return [.. connection.Query<(string User, string Role)>(
            "SELECT users.name, channel_members.role FROM channel_members JOIN users ON users.id = channel_members.user_id WHERE channel = @channel ORDER BY users.name", new { channel })
            .Select(r => (r.User, ChannelRoles.TryParse(r.Role, out var role) ? role : ChannelRole.None))];
    }

    /// <summary>Gives a user a role in a channel (replacing the one they had).</summary>
    public void SetMember(Actor actor, string channel, UserRow user, ChannelRole role)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            "INSERT INTO channel_members (channel, user_id, role) VALUES (@channel, @userId, @role) ON CONFLICT (channel, user_id) DO UPDATE SET role = excluded.role",
            new { channel, userId = user.Id, role = ChannelRoles.Name(role) },
            transaction);
        Audit(connection, transaction, actor, "member.set", channel, user.Name, ChannelRoles.Name(role));
        transaction.Commit();
    }

    public bool RemoveMember(Actor actor, string channel, UserRow user)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        if (connection.Execute("DELETE FROM channel_members WHERE channel = @channel AND user_id = @userId", new { channel, userId = user.Id }, transaction) != 1)
        {
            return false;
        }

        Audit(connection, transaction, actor, "member.remove", channel, user.Name, null);
        transaction.Commit();
        return true;
    }

    /// <summary>The audit log, newest first: of one channel, of one organisation, or everything.</summary>
    public IReadOnlyList<AuditEntry> AuditLog(string? channel, int limit, string? organisation = null)
    {
        using var connection = Database.Open();
        const string Columns = "id AS Id, at AS At, actor AS Actor, origin AS Origin, action AS Action, channel AS Channel, organisation AS Organisation, subject AS Subject, detail AS Detail";
        return (channel, organisation) switch
        {
            (null, null) => [.. connection.Query<AuditEntry>($"SELECT {Columns} FROM audit_log ORDER BY id DESC LIMIT @limit", new { limit })],
            (null, _) => [.. connection.Query<AuditEntry>($"SELECT {Columns} FROM audit_log WHERE organisation = @organisation ORDER BY id DESC LIMIT @limit", new { organisation, limit })],
            _ => [.. connection.Query<AuditEntry>($"SELECT {Columns} FROM audit_log WHERE channel = @channel ORDER BY id DESC LIMIT @limit", new { channel, limit })],
        };
    }

    /// <summary>
    /// Appends to the audit log, in the transaction of the change itself: no change without its entry. Nothing updates
    /// or deletes entries. Every audited change may change access, so it also counts the access generation up
    /// (<see cref="AccessGeneration"/>): what any instance cached of keys, roles, seats and channels is stale from the
    /// commit on.
    /// </summary>
    private static void Audit(DbConnection connection, DbTransaction transaction, Actor actor, string action, string? channel, string subject, string? detail, string? organisation = null)
    {
        connection.Execute(
            "INSERT INTO audit_log (at, actor, origin, action, channel, organisation, subject, detail) VALUES (@at, @Name, @Origin, @action, @channel, @organisation, @subject, @detail)",
            new { at = Now(), actor.Name, actor.Origin, action, channel, organisation, subject, detail },
            transaction);
        connection.Execute("UPDATE access_generation SET generation = generation + 1 WHERE id = 1", transaction: transaction);
    }

    /// <summary>The access generation: counted up by every change to keys, roles, organisations, subscriptions, seats and channels (one cheap read per request).</summary>
    public long AccessGeneration()
    {
        using var connection = Database.Open();
        return connection.ExecuteScalar<long>("SELECT generation FROM access_generation WHERE id = 1");
    }

    public ChannelRow? Channel(string name)
    {
        using var connection = Database.Open();
        return connection.QuerySingleOrDefault<ChannelRow>(
            $"SELECT {ChannelColumns} FROM channels WHERE name = @name", new { name });
    }

    public IReadOnlyList<ChannelRow> Channels()
    {
        using var connection = Database.Open();
        return [.. connection.Query<ChannelRow>($"SELECT {ChannelColumns} FROM channels ORDER BY name")];
    }

    private const string ChannelColumns = """
        name AS Name, private AS Private, commercial AS Commercial, owner_id AS OwnerId, owner_org AS OwnerOrg, mirror_channel_url AS MirrorChannelUrl,
        mirror_mode AS MirrorMode, mirror_filter AS MirrorFilter, created AS Created
        """;

    /// <summary>
    /// Adds a channel (a mirror or proxy when <paramref name="mirror"/> is given), owned by a user or by an
    /// organisation (<paramref name="ownerOrg"/>); false when one of that name exists.
    /// </summary>
    public bool AddChannel(Actor actor, string name, bool isPrivate, long? ownerId, MirrorSettings? mirror = null, string? ownerOrg = null, bool commercial = false)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        if (connection.Execute(
            """
            INSERT INTO channels (name, private, commercial, owner_id, owner_org, mirror_channel_url, mirror_mode, mirror_filter, created)
            VALUES (@name, @isPrivate, @commercial, @ownerId, @ownerOrg, @url, @mode, @filter, @created) ON CONFLICT (name) DO NOTHING
            """,
            new { name, isPrivate = Flag(isPrivate), commercial = Flag(commercial), ownerId, ownerOrg, url = mirror?.Url, mode = mirror?.ModeText, filter = mirror?.FilterText, created = Now() },
            transaction) != 1)
        {
            return false;
        }

        Audit(connection, transaction, actor, "channel.create", name, name, (commercial ? "commercial" : isPrivate ? "private" : "public") + (ownerOrg is null ? string.Empty : $", of {ownerOrg}"), ownerOrg);
        transaction.Commit();
        return true;
    }

    public void DeleteChannel(Actor actor, string name)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        Audit(connection, transaction, actor, "channel.delete", name, name, null);
        connection.Execute("DELETE FROM package_files WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM subdir_changes WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM channel_members WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM api_key_roles WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM subscriptions WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM plans WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM channel_sources WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM channel_snapshots WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM subdir_generations WHERE channel = @name", new { name }, transaction);
        connection.Execute("DELETE FROM download_totals WHERE channel = @name", new { name }, transaction);
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
        using var connection = Database.Open();
        return connection.QuerySingleOrDefault<PackageFileRow>(
            $"SELECT {FileColumns} FROM package_files WHERE channel = @channel AND subdir = @subdir AND filename = @filename",
            new { channel, subdir, filename });
    }

    /// <summary>The files of one label's subdir: what its repodata lists.</summary>
    public IReadOnlyList<PackageFileRow> Files(string channel, string label, string subdir)
    {
        using var connection = Database.Open();
        return [.. connection.Query<PackageFileRow>(
            $"SELECT {FileColumns} FROM package_files WHERE channel = @channel AND label = @label AND subdir = @subdir ORDER BY filename",
            new { channel, label, subdir })];
    }

    /// <summary>The files of some package names in one label's subdir, in no order.</summary>
    /// <remarks>
    /// Without ORDER BY on purpose: SQLite would then walk the primary key (channel, subdir, filename) in file name
    /// order through every row of the subdir rather than look the names up (measured: 330 ms against 0.5 ms in a
    /// subdir of 493,567 records, on every upload).
    /// </remarks>
    public IReadOnlyList<PackageFileRow> Files(string channel, string label, string subdir, IReadOnlySet<string> names)
    {
        using var connection = Database.Open();
        return [.. connection.Query<PackageFileRow>(
            $"SELECT {FileColumns} FROM package_files WHERE channel = @channel AND label = @label AND subdir = @subdir AND {Database.OneOf("name", "names")}",
            new { channel, label, subdir, names = names.ToArray() })];
    }

    /// <summary>Every file of the channel (all labels), optionally of one package name.</summary>
    public IReadOnlyList<PackageFileRow> FilesOf(string channel, string? name = null)
    {
        using var connection = Database.Open();
        return name is null
            ? [.. connection.Query<PackageFileRow>($"SELECT {FileColumns} FROM package_files WHERE channel = @channel ORDER BY name, filename", new { channel })]
            : [.. connection.Query<PackageFileRow>($"SELECT {FileColumns} FROM package_files WHERE channel = @channel AND name = @name ORDER BY filename", new { channel, name })];
    }

    /// <summary>The subdirs a label has files in.</summary>
    /// <remarks>
    /// A skip scan written out (a recursive query seeking the next subdir in the label index), since both databases
    /// answer SELECT DISTINCT by reading every row of the label (77 ms at 493,567 records, on every publication).
    /// </remarks>
    public IReadOnlyList<string> Subdirs(string channel, string label)
    {
        using var connection = Database.Open();
        return [.. connection.Query<string>(
            """
            WITH RECURSIVE found(subdir) AS (
                SELECT MIN(subdir) FROM package_files WHERE channel = @channel AND label = @label
                UNION ALL
                SELECT (SELECT MIN(subdir) FROM package_files WHERE channel = @channel AND label = @label AND subdir > found.subdir)
                FROM found WHERE found.subdir IS NOT NULL)
            SELECT subdir FROM found WHERE subdir IS NOT NULL ORDER BY subdir
            """,
            new { channel, label })];
    }

    /// <summary>The labels a channel has files in (a skip scan, as <see cref="Subdirs"/>).</summary>
    public IReadOnlyList<string> Labels(string channel)
    {
        using var connection = Database.Open();
        return [.. connection.Query<string>(
            """
            WITH RECURSIVE found(label) AS (
                SELECT MIN(label) FROM package_files WHERE channel = @channel
                UNION ALL
                SELECT (SELECT MIN(label) FROM package_files WHERE channel = @channel AND label > found.label)
                FROM found WHERE found.label IS NOT NULL)
            SELECT label FROM found WHERE label IS NOT NULL ORDER BY label
            """,
            new { channel })];
    }

    /// <summary>
    /// Adds a file's row, or replaces it when <paramref name="replace"/>; returns whether it was stored (false: the file
    /// exists and was not to be replaced, also when another instance added it a moment ago) and the label it had before.
    /// </summary>
    public (bool Stored, string? PreviousLabel) PutFile(PackageFileRow row, bool replace)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var changes = new Changes();
        var stored = Put(connection, transaction, row, replace, changes, out var previousLabel);
        if (stored)
        {
            changes.Record(connection, transaction, row.Channel);
            transaction.Commit();
        }

        return (stored, previousLabel);
    }

    /// <summary>Adds or replaces many files' rows in one transaction, one generation per label and subdir (a mirror's synchronisation, a bulk import).</summary>
    public void PutFiles(IEnumerable<PackageFileRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var changesByChannel = new Dictionary<string, Changes>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!changesByChannel.TryGetValue(row.Channel, out var changes))
            {
                changesByChannel[row.Channel] = changes = new Changes();
            }

            Put(connection, transaction, row, replace: true, changes, out _);
        }

        foreach (var (channel, changes) in changesByChannel)
        {
            changes.Record(connection, transaction, channel);
        }

        transaction.Commit();
    }

    private static bool Put(DbConnection connection, DbTransaction transaction, PackageFileRow row, bool replace, Changes changes, out string? previousLabel)
    {
        previousLabel = connection.QuerySingleOrDefault<string>(
            "SELECT label FROM package_files WHERE channel = @Channel AND subdir = @Subdir AND filename = @Filename", row, transaction);
        const string Insert = """
            INSERT INTO package_files (channel, subdir, filename, label, name, version, sha256, size, timestamp, record, about, run_exports, post_install, uploader, uploaded)
            VALUES (@Channel, @Subdir, @Filename, @Label, @Name, @Version, @Sha256, @Size, @Timestamp, @Record, @About, @RunExports, @PostInstall, @Uploader, @Uploaded)
            """;
        var written = connection.Execute(
            replace
                ? Insert + """
                     ON CONFLICT (channel, subdir, filename) DO UPDATE SET
                        label = excluded.label, name = excluded.name, version = excluded.version, sha256 = excluded.sha256, size = excluded.size,
                        timestamp = excluded.timestamp, record = excluded.record, about = excluded.about, run_exports = excluded.run_exports,
                        post_install = excluded.post_install, uploader = excluded.uploader, uploaded = excluded.uploaded
                    """
                : Insert + " ON CONFLICT (channel, subdir, filename) DO NOTHING",
            row,
            transaction);
        if (written == 0)
        {
            return false;
        }

        changes.Add(row.Label, row.Subdir, row.Name);
        if (previousLabel is not null && previousLabel != row.Label)
        {
            changes.Add(previousLabel, row.Subdir, row.Name);
        }

        return true;
    }

    /// <summary>Takes a file's row out; false when there was none.</summary>
    public bool DeleteFile(string channel, string subdir, string filename)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var row = connection.QuerySingleOrDefault<(string Label, string Name)>(
            "SELECT label, name FROM package_files WHERE channel = @channel AND subdir = @subdir AND filename = @filename", new { channel, subdir, filename }, transaction);
        if (row.Label is null || connection.Execute("DELETE FROM package_files WHERE channel = @channel AND subdir = @subdir AND filename = @filename", new { channel, subdir, filename }, transaction) != 1)
        {
            return false;
        }

        var changes = new Changes();
        changes.Add(row.Label, subdir, row.Name);
        changes.Record(connection, transaction, channel);
        transaction.Commit();
        return true;
    }

    /// <summary>A label's subdir's generation now and the package names changed after <paramref name="since"/> (null when changes that old are no longer kept).</summary>
    public (long Generation, IReadOnlyList<string>? Names) ChangesSince(string channel, string label, string subdir, long since)
    {
        using var connection = Database.Open();
        var generation = connection.ExecuteScalar<long?>(
            "SELECT generation FROM subdir_generations WHERE channel = @channel AND label = @label AND subdir = @subdir", new { channel, label, subdir }) ?? 0;
        if (generation == since)
        {
            return (generation, []);
        }

        if (since > generation || generation - since > KeptGenerations)
        {
            return (generation, null);
        }

        return (generation, [.. connection.Query<string>(
            "SELECT DISTINCT name FROM subdir_changes WHERE channel = @channel AND label = @label AND subdir = @subdir AND generation > @since",
            new { channel, label, subdir, since })]);
    }

    /// <summary>The generation of the subdir's repodata.json last written to storage (by any instance).</summary>
    public long MonolithGeneration(string channel, string label, string subdir) => Published(channel, label, subdir, "monolith_generation");

    public void SetMonolithGeneration(string channel, string label, string subdir, long generation) => SetPublished(channel, label, subdir, "monolith_generation", generation);

    /// <summary>The generation of the subdir's shard index last written to storage (0: unknown).</summary>
    public long ShardIndexGeneration(string channel, string label, string subdir) => Published(channel, label, subdir, "shard_index_generation");

    public void SetShardIndexGeneration(string channel, string label, string subdir, long generation) => SetPublished(channel, label, subdir, "shard_index_generation", generation);

    private long Published(string channel, string label, string subdir, string column)
    {
        using var connection = Database.Open();
        return connection.ExecuteScalar<long?>(
            $"SELECT {column} FROM subdir_generations WHERE channel = @channel AND label = @label AND subdir = @subdir", new { channel, label, subdir }) ?? 0;
    }

    private void SetPublished(string channel, string label, string subdir, string column, long generation)
    {
        using var connection = Database.Open();
        connection.Execute(
            $"""
            INSERT INTO subdir_generations (channel, label, subdir, generation, {column}) VALUES (@channel, @label, @subdir, 0, @generation)
            ON CONFLICT (channel, label, subdir) DO UPDATE SET {column} = @generation
            """,
            new { channel, label, subdir, generation });
    }

    /// <summary>The package names one transaction changed, by label and subdir: recorded as one generation of each.</summary>
    private sealed class Changes
    {
        private readonly Dictionary<(string Label, string Subdir), HashSet<string>> names = [];

        public void Add(string label, string subdir, string name)
        {
            if (!names.TryGetValue((label, subdir), out var set))
            {
                names[(label, subdir)] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(name);
        }

        /// <summary>Counts each changed subdir's generation up and records its names; forgets changes older than <see cref="KeptGenerations"/>.</summary>
        public void Record(DbConnection connection, DbTransaction transaction, string channel)
        {
            foreach (var ((label, subdir), changed) in names)
            {
                // The upsert holds the generation's row until the transaction ends, so generations are counted in commit order.
                var generation = connection.ExecuteScalar<long>(
                    """
                    INSERT INTO subdir_generations (channel, label, subdir, generation) VALUES (@channel, @label, @subdir, 1)
                    ON CONFLICT (channel, label, subdir) DO UPDATE SET generation = subdir_generations.generation + 1
                    RETURNING generation
                    """,
                    new { channel, label, subdir },
                    transaction);
                connection.Execute(
                    "INSERT INTO subdir_changes (channel, label, subdir, generation, name) VALUES (@channel, @label, @subdir, @generation, @name)",
                    changed.Select(name => new { channel, label, subdir, generation, name }),
                    transaction);
                if (generation % 1000 == 0)
                {
                    connection.Execute(
                        "DELETE FROM subdir_changes WHERE channel = @channel AND label = @label AND subdir = @subdir AND generation <= @oldest",
                        new { channel, label, subdir, oldest = generation - KeptGenerations },
                        transaction);
                }
            }
        }
    }

    /// <summary>Adds counted downloads (to what any instance counted before) in one transaction.</summary>
    public void AddDownloads(IEnumerable<KeyValuePair<DownloadKey, long>> counts)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            """
            INSERT INTO package_downloads (day, channel, subdir, name, version, build, organisation, user_name, key_id, client, downloads)
            VALUES (@Day, @Channel, @Subdir, @Name, @Version, @Build, @Organisation, @User, @KeyId, @Client, @Downloads)
            ON CONFLICT (channel, name, day, version, build, subdir, organisation, user_name, key_id, client) DO UPDATE SET downloads = package_downloads.downloads + excluded.downloads
            """,
            counts.Select(c => new { c.Key.Day, c.Key.Channel, c.Key.Subdir, c.Key.Name, c.Key.Version, c.Key.Build, c.Key.Organisation, c.Key.User, c.Key.KeyId, c.Key.Client, Downloads = c.Value }),
            transaction);
        var updated = Now();
        connection.Execute(
            """
            INSERT INTO download_totals (channel, name, downloads, updated) VALUES (@Channel, @Name, @Downloads, @updated)
            ON CONFLICT (channel, name) DO UPDATE SET downloads = download_totals.downloads + excluded.downloads, updated = excluded.updated
            """,
            counts.GroupBy(c => (c.Key.Channel, c.Key.Name)).Select(g => new { g.Key.Channel, g.Key.Name, Downloads = g.Sum(c => c.Value), updated }),
            transaction);
        transaction.Commit();
    }

    /// <summary>Every package's downloads in a channel so far (what channeldata.json shows).</summary>
    public IReadOnlyDictionary<string, long> DownloadTotals(string channel)
    {
        using var connection = Database.Open();
        return connection.Query<(string Name, long Downloads)>("SELECT name, downloads FROM download_totals WHERE channel = @channel", new { channel })
            .ToDictionary(r => r.Name, r => r.Downloads, StringComparer.Ordinal);
    }

    /// <summary>The channels with downloads counted after <paramref name="since"/> (a time as <see cref="Now"/> writes it).</summary>
    public IReadOnlyList<string> ChannelsCountedSince(string since)
    {
        using var connection = Database.Open();
        return [.. connection.Query<string>("SELECT DISTINCT channel FROM download_totals WHERE updated > @since", new { since })];
    }

    /// <summary>A channel's counted downloads from <paramref name="from"/> to <paramref name="to"/> (days, inclusive), optionally of one package, summed per file and period (<paramref name="period"/>: day, month, or null for the whole range) and client.</summary>
    public IReadOnlyList<DownloadRow> Downloads(string channel, string? name, string from, string to, string? period)
    {
        using var connection = Database.Open();
        // PostgreSQL refuses a constant in GROUP BY: without a period, the period is not grouped at all.
        var periodColumn = period switch
        {
            "D" => "day",
            "M" => "SUBSTR(day, 1, 7)",
            _ => null,
        };
        var grouped = periodColumn is null ? string.Empty : $", {periodColumn}";
        return [.. connection.Query<DownloadRow>(
            $"""
            SELECT name AS Name, version AS Version, build AS Build, subdir AS Subdir, {periodColumn ?? "''"} AS Period, client AS Client, SUM(downloads) AS Downloads
            FROM package_downloads WHERE channel = @channel AND (@name = '' OR name = @name) AND day >= @from AND day <= @to
            GROUP BY name, version, build, subdir{grouped}, client ORDER BY name, version, build, subdir{grouped}, client
            """,
            new { channel, name = name ?? string.Empty, from, to })];
    }

    public static string Now() => DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Today (UTC) as the store's days are written: <c>YYYY-MM-DD</c>.</summary>
    public static string Today() => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Flags are integers in both databases (SQLite has no boolean type).</summary>
    private static long Flag(bool value) => value ? 1 : 0;
}
