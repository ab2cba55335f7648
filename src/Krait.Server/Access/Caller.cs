using Krait.Server.Metadata;

namespace Krait.Server.Access;

/// <summary>
/// Who made a request: a user (through an API key) with their roles in channels and organisations and the seats
/// they hold, and the key's scopes when it has any (null: the key acts as its user); or nobody.
/// </summary>
public sealed record Caller(UserRow? User, IReadOnlyDictionary<string, ChannelRole> Memberships, IReadOnlyList<KeyRole>? KeyScopes)
{
    public static Caller Anonymous { get; } = new(null, new Dictionary<string, ChannelRole>(), null);

    /// <summary>The id of the key the request came with.</summary>
    public long? KeyId { get; init; }

    /// <summary>The user's roles in organisations (which they hold in the organisations' channels).</summary>
    public IReadOnlyDictionary<string, ChannelRole> Organisations { get; init; } = new Dictionary<string, ChannelRole>();

    /// <summary>The access generation the request was resolved at (null: not known, look everything up).</summary>
    public long? Generation { get; init; }

    /// <summary>The seats the user holds in subscriptions active today.</summary>
    public IReadOnlyList<Seat> Seats { get; init; } = [];

    public bool IsAuthenticated => User is not null;

    /// <summary>An administrator whose key is not scoped to some channels.</summary>
    public bool IsAdmin => User?.IsAdmin == true && KeyScopes is null;

    /// <summary>The paying organisation a download by this caller is counted for: the one whose seat reads <paramref name="channel"/>, else the first with a seat at all.</summary>
    public string PayingOrganisation(string channel)
    {
        Seat? first = null;
        foreach (var seat in Seats)
        {
            if (!seat.IsWithin)
            {
                continue;
            }

            if (seat.Channel == channel)
            {
                return seat.Organisation;
            }

            if (first is null || string.CompareOrdinal(seat.Organisation, first.Organisation) < 0)
            {
                first = seat;
            }
        }

        return first?.Organisation ?? string.Empty;
    }
}
