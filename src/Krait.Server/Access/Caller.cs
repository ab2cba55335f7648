using Krait.Server.Metadata;

namespace Krait.Server.Access;

/// <summary>Who made a request: a user (through an API key) or nobody.</summary>
public sealed record Caller(UserRow? User)
{
    public static Caller Anonymous { get; } = new((UserRow?)null);

    public bool IsAuthenticated => User is not null;

    public bool IsAdmin => User?.IsAdmin == true;
}
