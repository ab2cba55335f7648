using Krait.Server.Metadata;

namespace Krait.Server.Access;

/// <summary>
/// Who may do what to a channel, decided here and nowhere else: every path (channel files, API listings, uploads,
/// deletions, members, plans, subscriptions) asks these questions. A caller's role in a channel is the highest of:
/// administrator or the channel's owner (<see cref="ChannelRole.Owner"/>), their membership, their role in the
/// organisation owning it; a scoped key lowers it to what its scopes grant there. A public channel is read by
/// anyone, a private one by members and above, a commercial one also by the holders of seats within what their
/// organisation bought; maintainers upload and delete (a key scoped to one package: only that package); owners
/// manage members. A private channel a caller may neither read nor write does not exist for them (404); a
/// commercial channel is on the market, so everyone may know it exists.
/// </summary>
public static class AccessRules
{
    public static ChannelRole RoleIn(Caller caller, ChannelRow channel, string? package)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(channel);
        if (caller.User is not { } user)
        {
            return ChannelRole.None;
        }

        var role = user.IsAdmin || channel.OwnerId == user.Id ? ChannelRole.Owner : caller.Memberships.GetValueOrDefault(channel.Name);
        if (channel.OwnerOrg is { } organisation && caller.Organisations.GetValueOrDefault(organisation) is var inOrganisation && inOrganisation > role)
        {
            role = inOrganisation;
        }

        if (caller.KeyScopes is { } scopes)
        {
            var granted = ChannelRole.None;
            foreach (var scope in scopes)
            {
                if (scope.Channel == channel.Name && (scope.Package is null || scope.Package == package) && scope.Role > granted)
                {
                    granted = scope.Role;
                }
            }

            role = granted < role ? granted : role;
        }

        return role;
    }

    public static bool CanRead(Caller caller, ChannelRow channel) => ReadRefusal(caller, channel) is null;

    /// <summary>Why the caller may not read the channel, or null when they may.</summary>
    public static Refusal? ReadRefusal(Caller caller, ChannelRow channel)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(channel);
        if ((!channel.Private && !channel.Commercial) || RoleIn(caller, channel, null) >= ChannelRole.Member)
        {
            return null;
        }

        if (!channel.Commercial)
        {
            return new Refusal(404, $"there is no channel '{channel.Name}'", null);
        }

        if (!caller.IsAuthenticated)
        {
            return new Refusal(401, $"'{channel.Name}' is a commercial channel: use the API key of a user holding a seat of a subscription to it", null);
        }

        var seat = SeatIn(caller, channel);
        if (seat is null || !KeyReaches(caller, channel))
        {
            return new Refusal(403, $"'{channel.Name}' is a commercial channel: reading it needs a seat of an organisation's subscription (see /api/channels/{channel.Name}/plans){(seat is null ? string.Empty : ", and a key not scoped away from it")}", null);
        }

        return seat.IsWithin
            ? null
            : new Refusal(403, $"the organisation '{seat.Organisation}' uses more seats than the {seat.Seats} its subscription to '{channel.Name}' has: ask one of its owners to buy seats or to free one", seat);
    }

    /// <summary>Whether the caller may upload or delete <paramref name="package"/> (null: any package, as a mirror's synchronisation or a channel's deletion need).</summary>
    public static bool CanWrite(Caller caller, ChannelRow channel, string? package) => RoleIn(caller, channel, package) >= ChannelRole.Maintainer;

    /// <summary>Whether the caller may change at least one package of the channel (the whole channel, or a package a key is scoped to).</summary>
    public static bool CanWriteSome(Caller caller, ChannelRow channel)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return CanWrite(caller, channel, null)
            || (caller.KeyScopes ?? []).Any(s => s.Channel == channel.Name && s.Package is not null && CanWrite(caller, channel, s.Package));
    }

    public static bool CanManage(Caller caller, ChannelRow channel) => RoleIn(caller, channel, null) >= ChannelRole.Owner;

    /// <summary>Whether the caller may know the channel exists: read it, write the package they name (<paramref name="anyPackage"/>: some package), or it is commercial.</summary>
    public static bool CanSee(Caller caller, ChannelRow channel, string? package, bool anyPackage = false)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.Commercial || CanRead(caller, channel) || (anyPackage ? CanWriteSome(caller, channel) : CanWrite(caller, channel, package));
    }

    /// <summary>Any user may create channels (they own them), with a key not scoped to some channels.</summary>
    public static bool CanCreateChannel(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAuthenticated && caller.KeyScopes is null;
    }

    /// <summary>The caller's role in an organisation (administrators: owner); a scoped key has none, as it is for channels.</summary>
    public static ChannelRole RoleInOrganisation(Caller caller, string organisation)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.User is null || caller.KeyScopes is not null)
        {
            return ChannelRole.None;
        }

        return caller.IsAdmin ? ChannelRole.Owner : caller.Organisations.GetValueOrDefault(organisation);
    }

    /// <summary>Who sells subscriptions to a channel: its owners (the vendor's owners, for an organisation's channel) and administrators.</summary>
    public static bool CanSell(Caller caller, ChannelRow channel) => channel is { Commercial: true } && CanManage(caller, channel);

    private static Seat? SeatIn(Caller caller, ChannelRow channel)
    {
        Seat? found = null;
        foreach (var seat in caller.Seats)
        {
            if (seat.Channel == channel.Name && (found is null || (seat.IsWithin && !found.IsWithin)))
            {
                found = seat;
            }
        }

        return found;
    }

    /// <summary>A seat reads through an unscoped key, or one scoped to read the channel.</summary>
    private static bool KeyReaches(Caller caller, ChannelRow channel) =>
        caller.KeyScopes is not { } scopes || scopes.Any(s => s.Channel == channel.Name && s.Package is null && s.Role >= ChannelRole.Member);
}

/// <summary>A refused read: the HTTP status and what to tell the caller, and the seat over the bought count when that is why.</summary>
public sealed record Refusal(int Status, string Detail, Seat? OverSeat);
