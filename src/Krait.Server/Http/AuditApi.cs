using Krait.Server.Metadata;

namespace Krait.Server.Http;

/// <summary>How an audit entry reads in the API (the same for a channel's, an organisation's and the whole log).</summary>
public static class AuditApi
{
    public static object Describe(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new
        {
            id = entry.Id,
            at = entry.At,
            actor = entry.Actor,
            origin = entry.Origin,
            action = entry.Action,
            channel = entry.Channel,
            organisation = entry.Organisation,
            subject = entry.Subject,
            detail = entry.Detail,
        };
    }
}
