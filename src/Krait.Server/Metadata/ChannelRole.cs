namespace Krait.Server.Metadata;

/// <summary>
/// What someone may do in a channel, each role including the ones before it: read it (<see cref="Member"/>), upload
/// and delete (<see cref="Maintainer"/>), manage its members and settings (<see cref="Owner"/>). quetz's names.
/// </summary>
public enum ChannelRole
{
    None = 0,
    Member = 1,
    Maintainer = 2,
    Owner = 3,
}

public static class ChannelRoles
{
    public static bool TryParse(string? text, out ChannelRole role)
    {
        role = text switch
        {
            "member" => ChannelRole.Member,
            "maintainer" => ChannelRole.Maintainer,
            "owner" => ChannelRole.Owner,
            _ => ChannelRole.None,
        };
        return role != ChannelRole.None;
    }

    public static string Name(ChannelRole role) => role switch
    {
        ChannelRole.Member => "member",
        ChannelRole.Maintainer => "maintainer",
        ChannelRole.Owner => "owner",
        _ => "none",
    };
}
