namespace Krait.Server.Metadata;

/// <summary>Who changed access, and from where, for the audit log: a user of the API (and the address the request came from), or an administrator at the server home.</summary>
public sealed record Actor(string Name, string Origin)
{
    /// <summary>Someone running <c>krait server …</c> on the server home: the operating system's user and machine.</summary>
    public static Actor Local { get; } = new("(server home)", $"{Environment.UserName}@{Environment.MachineName}");
}

/// <summary>One entry of the append-only audit log: what changed access, who did it, when and from where.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public string At { get; set; } = string.Empty;

    public string Actor { get; set; } = string.Empty;

    public string Origin { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public string? Channel { get; set; }

    public string? Organisation { get; set; }

    public string Subject { get; set; } = string.Empty;

    public string? Detail { get; set; }
}
