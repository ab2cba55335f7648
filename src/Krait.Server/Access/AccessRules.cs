using Krait.Server.Metadata;

namespace Krait.Server.Access;

/// <summary>
/// Who may do what to a channel, decided here and nowhere else: every path (channel files, API listings, uploads,
/// deletions) asks these questions. A public channel is read by anyone; a private one by its owner and
/// administrators; only they may change a channel. A channel a caller may not read does not exist for them (404).
/// </summary>
public static class AccessRules
{
    public static bool CanRead(Caller caller, ChannelRow channel)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(channel);
        return !channel.Private || IsOwnerOrAdmin(caller, channel);
    }

    public static bool CanWrite(Caller caller, ChannelRow channel)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(channel);
        return IsOwnerOrAdmin(caller, channel);
    }

    public static bool CanCreateChannel(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsAuthenticated;
    }

    private static bool IsOwnerOrAdmin(Caller caller, ChannelRow channel) => caller.IsAdmin || (caller.User is { } user && channel.OwnerId == user.Id);
}
