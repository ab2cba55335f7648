using Krait.Server.Metadata;

namespace Krait.Server.Access;

/// <summary>
/// Who may do what to a channel, decided here and nowhere else: every path (channel files, API listings, uploads,
/// deletions, members) asks these questions. A caller's role in a channel is the highest of: administrator or the
/// channel's owner (<see cref="ChannelRole.Owner"/>), their membership; a scoped key lowers it to what its scopes
/// grant there. A public channel is read by anyone, a private one by members and above; maintainers upload and
/// delete (a key scoped to one package: only that package); owners manage members. A channel a caller may neither
/// read nor write does not exist for them (404).
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

    public static bool CanRead(Caller caller, ChannelRow channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return !channel.Private || RoleIn(caller, channel, null) >= ChannelRole.Member;
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

    /// <summary>Whether the caller may know the channel exists: read it, or write the package they name.</summary>
    public static bool CanSee(Caller caller, ChannelRow channel, string? package) => CanRead(caller, channel) || CanWrite(caller, channel, package);

    /// <summary>Any user may create channels (they own them), with a key not scoped to some channels.</summary>
    public static bool CanCreateChannel(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAuthenticated && caller.KeyScopes is null;
    }
}
