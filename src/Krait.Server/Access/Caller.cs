using Krait.Server.Metadata;

namespace Krait.Server.Access;

/// <summary>
/// Who made a request: a user (through an API key) with their roles in channels, and the key's scopes when it has
/// any (null: the key acts as its user); or nobody.
/// </summary>
public sealed record Caller(UserRow? User, IReadOnlyDictionary<string, ChannelRole> Memberships, IReadOnlyList<KeyRole>? KeyScopes)
{
    public static Caller Anonymous { get; } = new(null, new Dictionary<string, ChannelRole>(), null);

    /// <summary>The id of the key the request came with.</summary>
    public long? KeyId { get; init; }

    public bool IsAuthenticated => User is not null;

    /// <summary>An administrator whose key is not scoped to some channels.</summary>
    public bool IsAdmin => User?.IsAdmin == true && KeyScopes is null;
}
