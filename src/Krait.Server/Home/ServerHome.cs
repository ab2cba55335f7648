using Krait.Server.Access;
using Krait.Server.Metadata;
using Krait.Server.Storage;

namespace Krait.Server.Home;

/// <summary>
/// A server home: its configuration, its metadata database and its package storage, under one folder by default.
/// <see cref="Init"/> makes one and the first administrator, whose API key it returns (shown once, stored only as a hash).
/// </summary>
public sealed class ServerHome
{
    private readonly ObjectStoreLocation? objectStore;

    private ServerHome(string path, ServerSettings settings, ObjectStoreLocation? objectStore)
    {
        this.objectStore = objectStore;
        Path = path;
        Settings = settings;
    }

    public string Path { get; }

    public ServerSettings Settings { get; }

    /// <summary>The metadata database the settings name (a SQLite file under HOME by default, or PostgreSQL).</summary>
    public MetadataStore OpenMetadata() => new(MetadataDatabase.Of(Settings.Database, Path));

    /// <summary>
    /// The package storage the settings name: a folder (under HOME by default), or an S3-compatible bucket, in which
    /// case <c>HOME/work</c> is where this instance makes files before storing them.
    /// </summary>
    public ChannelStorage OpenStorage() => objectStore is not null
        ? new ChannelStorage(System.IO.Path.Combine(Path, "work"), new ObjectStore(objectStore))
        : new ChannelStorage(Resolve(Settings.Storage));

    /// <summary>HOME given on the command line, else <c>KRAIT_SERVER_HOME</c>.</summary>
    public static string Locate(string? argument) =>
        System.IO.Path.GetFullPath(argument is { Length: > 0 } ? argument
            : Environment.GetEnvironmentVariable("KRAIT_SERVER_HOME") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : throw new ServerHomeException("give the server home (krait server … HOME) or set KRAIT_SERVER_HOME"));

    public static ServerHome Open(string path)
    {
        var settings = ServerSettings.Load(path);
        var where = $"{System.IO.Path.Combine(path, ServerSettings.FileName)} (or KRAIT_SERVER_DATABASE / KRAIT_SERVER_STORAGE)";
        try
        {
            if (PostgresDatabase.IsConnection(settings.Database))
            {
                _ = PostgresDatabase.ConnectionString(settings.Database);
            }
            else if (settings.Database.Contains('=', StringComparison.Ordinal) || settings.Database.Contains("://", StringComparison.Ordinal))
            {
                throw new ArgumentException("it is neither a SQLite file nor a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE) or connection string (Host=…;Database=…)");
            }
        }
        catch (ArgumentException e)
        {
            throw new ServerHomeException($"{where}: the database '{Redacted(settings.Database)}': {e.Message}");
        }

        ObjectStoreLocation? objectStore = null;
        try
        {
            if (ObjectStoreLocation.IsObjectStore(settings.Storage))
            {
                objectStore = ObjectStoreLocation.Parse(settings.Storage);
            }
            else if (settings.Storage.Contains("://", StringComparison.Ordinal))
            {
                throw new ArgumentException("it is neither a folder nor an s3://BUCKET[/PREFIX]?endpoint=… URL");
            }
        }
        catch (ArgumentException e)
        {
            throw new ServerHomeException($"{where}: the storage: {e.Message}");
        }

        return new ServerHome(path, settings, objectStore);
    }

    /// <summary>
    /// Makes a new home at <paramref name="path"/> (empty or absent) with <paramref name="settings"/> (the defaults when
    /// null) and, when its database has no administrator yet, one named <paramref name="adminName"/>; returns the home
    /// and that administrator's API key, or null for the key when the database already had one (another instance's:
    /// this home then serves the same repository). A home that cannot be made is not left half made.
    /// </summary>
    public static (ServerHome Home, string? ApiKey) Init(string path, string adminName = "admin", ServerSettings? settings = null)
    {
        if (File.Exists(path) || (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any()))
        {
            throw new ServerHomeException(File.Exists(System.IO.Path.Combine(path, ServerSettings.FileName))
                ? $"{path} is already a Krait server home; run it with: krait server run {path}"
                : $"{path} exists and is not empty; give a new or empty folder");
        }

        Directory.CreateDirectory(path);
        try
        {
            (settings ?? new ServerSettings()).Save(path);
            var home = Open(path);
            using (var storage = home.OpenStorage())
            {
                Directory.CreateDirectory(storage.Root);
            }

            var store = home.OpenMetadata();
            store.Migrate();
            if (store.FirstAdministrator() is not null)
            {
                return (home, null);
            }

            var admin = store.AddUser(Actor.Local, adminName, isAdmin: true);
            var key = ApiKeys.Generate();
            store.AddApiKey(Actor.Local, admin, ApiKeys.Hash(key), "created by krait server init", expires: null);
            return (home, key);
        }
        catch
        {
            Directory.Delete(path, recursive: true);
            throw;
        }
    }

    private string Resolve(string relativeOrAbsolute) => System.IO.Path.GetFullPath(relativeOrAbsolute, Path);

    /// <summary>A database setting fit for a message: a connection with a password is not repeated.</summary>
    private static string Redacted(string connection) =>
        connection.Contains("password", StringComparison.OrdinalIgnoreCase) || (connection.Contains("://", StringComparison.Ordinal) && connection.Contains('@', StringComparison.Ordinal))
            ? "(a connection string)"
            : connection;
}
