namespace Krait.Server.Metadata;

/// <summary>A user (person or robot) that API keys belong to.</summary>
public sealed class UserRow
{
    public long Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public bool IsAdmin { get; set; }
}

/// <summary>
/// A channel: public (anyone reads), private (its members), or commercial (its members, and the seat holders of
/// organisations subscribed to it); owned by a user, or by an organisation whose members hold their roles in it.
/// </summary>
public sealed class ChannelRow
{
    public string Name { get; set; } = string.Empty;

    public bool Private { get; set; }

    public bool Commercial { get; set; }

    public long? OwnerId { get; set; }

    public string? OwnerOrg { get; set; }

    public string? MirrorChannelUrl { get; set; }

    public string? MirrorMode { get; set; }

    public string? MirrorFilter { get; set; }

    public string Created { get; set; } = string.Empty;

    /// <summary>What the channel mirrors or proxies, or null for a channel of its own uploads.</summary>
    public MirrorSettings? Mirror => MirrorSettings.Of(this);
}

/// <summary>
/// One package file of a channel, in one label: what its archive's index gave (the repodata record and what
/// channeldata and run_exports take), so that the channel's files are made from the database, not from archives.
/// </summary>
public sealed class PackageFileRow
{
    public string Channel { get; set; } = string.Empty;

    public string Subdir { get; set; } = string.Empty;

    public string Filename { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Version { get; set; } = string.Empty;

    public string Sha256 { get; set; } = string.Empty;

    public long Size { get; set; }

    public long Timestamp { get; set; }

    public byte[] Record { get; set; } = [];

    public byte[]? About { get; set; }

    public byte[]? RunExports { get; set; }

    public long PostInstall { get; set; }

    public string? Uploader { get; set; }

    public string Uploaded { get; set; } = string.Empty;
}

/// <summary>An API key as stored: whose it is and its life, never the key (only its hash is kept).</summary>
public sealed class ApiKeyRow
{
    public long Id { get; set; }

    public long UserId { get; set; }

    public string UserName { get; set; } = string.Empty;

    public bool IsAdmin { get; set; }

    public string? Description { get; set; }

    public string Created { get; set; } = string.Empty;

    public string? Expires { get; set; }

    public bool Revoked { get; set; }

    public UserRow User => new() { Id = UserId, Name = UserName, IsAdmin = IsAdmin };
}

/// <summary>Counted downloads of one package file in one period, by one client.</summary>
public sealed class DownloadRow
{
    public string Name { get; set; } = string.Empty;

    public string Version { get; set; } = string.Empty;

    public string Build { get; set; } = string.Empty;

    public string Subdir { get; set; } = string.Empty;

    public string Period { get; set; } = string.Empty;

    public string Client { get; set; } = string.Empty;

    public long Downloads { get; set; }
}
