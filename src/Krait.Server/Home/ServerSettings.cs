using System.Text.Json;
using System.Text.Json.Serialization;

namespace Krait.Server.Home;

/// <summary>
/// A server home's configuration (<c>HOME/server.json</c>), with environment variables winning:
/// <c>KRAIT_SERVER_DATABASE</c> (the metadata database) and <c>KRAIT_SERVER_STORAGE</c> (the package storage).
/// </summary>
public sealed record ServerSettings
{
    public const string FileName = "server.json";

    /// <summary>The metadata database: a SQLite file (relative to HOME) by default, or PostgreSQL (<c>postgres://USER:PASSWORD@HOST:PORT/DATABASE</c> or <c>Host=…;Database=…</c>), which several instances share.</summary>
    [JsonPropertyName("database")]
    public string Database { get; init; } = "metadata.db";

    /// <summary>Where packages and the channel files made from them are kept: a folder (relative to HOME) by default, or an S3-compatible bucket (<see cref="Storage.ObjectStoreLocation"/>), which several instances share.</summary>
    [JsonPropertyName("storage")]
    public string Storage { get; init; } = "storage";

    /// <summary>The largest package an upload may send (bytes).</summary>
    [JsonPropertyName("max_upload_bytes")]
    public long MaxUploadBytes { get; init; } = 4L << 30;

    /// <summary>How long clients may use repodata and shard indexes without asking again (Cache-Control max-age).</summary>
    [JsonPropertyName("repodata_max_age_seconds")]
    public int RepodataMaxAgeSeconds { get; init; } = 120;

    /// <summary>The zstd level of served <c>repodata.json.zst</c>: lower than conda-index's 16, since the server re-indexes on every upload.</summary>
    [JsonPropertyName("repodata_zstd_level")]
    public int RepodataZstdLevel { get; init; } = 9;

    /// <summary>How often mirror channels are synchronised with their upstream (0: only on request).</summary>
    [JsonPropertyName("mirror_interval_seconds")]
    public int MirrorIntervalSeconds { get; init; } = 3600;

    /// <summary>How often channeldata.json is written again for its download figures, in channels with new downloads (0: only when a channel changes).</summary>
    [JsonPropertyName("channeldata_downloads_interval_seconds")]
    public int ChannelDataDownloadsIntervalSeconds { get; init; } = 600;

    /// <summary>Sign-in with an OpenID Connect provider (<c>/api/oidc/login</c>), or null for none.</summary>
    [JsonPropertyName("oidc")]
    public OidcSettings? Oidc { get; init; }

    /// <summary>Whether package downloads are counted (usage reports, the dividend); off only to measure what counting costs.</summary>
    [JsonPropertyName("metering")]
    public bool Metering { get; init; } = true;

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static ServerSettings Load(string home)
    {
        var path = Path.Combine(home, FileName);
        if (!File.Exists(path))
        {
            throw new ServerHomeException($"{home} is not a Krait server home ({FileName} is missing); make one with: krait server init {home}");
        }

        ServerSettings settings;
        try
        {
            settings = JsonSerializer.Deserialize<ServerSettings>(File.ReadAllBytes(path), Options)
                ?? throw new ServerHomeException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new ServerHomeException($"{path} is not valid JSON: {e.Message}");
        }

        settings = settings with
        {
            Database = Environment.GetEnvironmentVariable("KRAIT_SERVER_DATABASE") is { Length: > 0 } database ? database : settings.Database,
            Storage = Environment.GetEnvironmentVariable("KRAIT_SERVER_STORAGE") is { Length: > 0 } storage ? storage : settings.Storage,
        };
        if (settings.MaxUploadBytes <= 0 || settings.RepodataMaxAgeSeconds < 0 || settings.MirrorIntervalSeconds < 0 || settings.ChannelDataDownloadsIntervalSeconds < 0 || settings.RepodataZstdLevel is < 1 or > 22)
        {
            throw new ServerHomeException($"{path}: max_upload_bytes must be positive, repodata_max_age_seconds, mirror_interval_seconds and channeldata_downloads_interval_seconds not negative, repodata_zstd_level 1–22");
        }

        if (settings.Oidc?.Problem() is { } problem)
        {
            throw new ServerHomeException($"{path}: oidc: {problem}");
        }

        return settings;
    }

    public void Save(string home) => File.WriteAllBytes(Path.Combine(home, FileName), JsonSerializer.SerializeToUtf8Bytes(this, Options));
}
