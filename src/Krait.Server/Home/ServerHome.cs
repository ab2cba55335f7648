using Krait.Server.Access;
using Krait.Server.Metadata;

namespace Krait.Server.Home;

/// <summary>
/// A server home: its configuration, its metadata database and its package storage, under one folder by default.
/// <see cref="Init"/> makes one and the first administrator, whose API key it returns (shown once, stored only as a hash).
/// </summary>
public sealed class ServerHome
{
    private ServerHome(string path, ServerSettings settings)
    {
        Path = path;
        Settings = settings;
    }

    public string Path { get; }

    public ServerSettings Settings { get; }

    /// <summary>The SQLite file of the metadata.</summary>
    public string DatabasePath => Resolve(Settings.Database);

    public string StoragePath => Resolve(Settings.Storage);

    /// <summary>HOME given on the command line, else <c>KRAIT_SERVER_HOME</c>.</summary>
    public static string Locate(string? argument) =>
        System.IO.Path.GetFullPath(argument is { Length: > 0 } ? argument
            : Environment.GetEnvironmentVariable("KRAIT_SERVER_HOME") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : throw new ServerHomeException("give the server home (krait server … HOME) or set KRAIT_SERVER_HOME"));

    public static ServerHome Open(string path)
    {
        var settings = ServerSettings.Load(path);
        if (!settings.Database.EndsWith(".db", StringComparison.Ordinal) || settings.Database.Contains('=', StringComparison.Ordinal))
        {
            throw new ServerHomeException($"the database '{Redacted(settings.Database)}' is not a SQLite file (*.db); this server keeps its metadata in SQLite");
        }

        if (settings.Storage.Contains("://", StringComparison.Ordinal))
        {
            throw new ServerHomeException($"the storage '{settings.Storage}' is not a folder; this server keeps packages in a folder");
        }

        return new ServerHome(path, settings);
    }

    /// <summary>Makes a new home at <paramref name="path"/> (empty or absent) with an administrator named <paramref name="adminName"/>; returns it and the administrator's API key.</summary>
    public static (ServerHome Home, string ApiKey) Init(string path, string adminName = "admin")
    {
        if (File.Exists(path) || (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any()))
        {
            throw new ServerHomeException(File.Exists(System.IO.Path.Combine(path, ServerSettings.FileName))
                ? $"{path} is already a Krait server home; run it with: krait server run {path}"
                : $"{path} exists and is not empty; give a new or empty folder");
        }

        Directory.CreateDirectory(path);
        new ServerSettings().Save(path);
        var home = Open(path);
        Directory.CreateDirectory(home.StoragePath);
        var store = new MetadataStore(home.DatabasePath);
        store.Migrate();
        var admin = store.AddUser(adminName, isAdmin: true);
        var key = ApiKeys.Generate();
        store.AddApiKey(admin.Id, ApiKeys.Hash(key), "created by krait server init", expires: null);
        return (home, key);
    }

    private string Resolve(string relativeOrAbsolute) => System.IO.Path.GetFullPath(relativeOrAbsolute, Path);

    private static string Redacted(string connection) => connection.Contains("password", StringComparison.OrdinalIgnoreCase) ? "(a connection string)" : connection;
}
