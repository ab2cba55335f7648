namespace Krait.Server.Metadata;

/// <summary>
/// What one counted download is counted under: the day (UTC), the package file, who (the paying organisation the
/// user holds a seat of, or none; user and key, or anonymous) and with which client.
/// </summary>
public readonly record struct DownloadKey(string Day, string Channel, string Subdir, string Name, string Version, string Build, string Organisation, string User, long KeyId, string Client);
