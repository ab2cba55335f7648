namespace Krait.Server.Metadata;

/// <summary>What a commercial channel offers: a price per seat per month, in a currency, under a plan's name.</summary>
public sealed class PlanRow
{
    public long Id { get; set; }

    public string Channel { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public long SeatPriceCents { get; set; }

    public string Currency { get; set; } = string.Empty;
}

/// <summary>
/// An organisation's subscription to a commercial channel: so many seats from <see cref="Starts"/> to
/// <see cref="Ends"/> (days, inclusive) at the price its plan had when it was made.
/// </summary>
public sealed class SubscriptionRow
{
    public long Id { get; set; }

    public string Organisation { get; set; } = string.Empty;

    public string Channel { get; set; } = string.Empty;

    public string Plan { get; set; } = string.Empty;

    public long Seats { get; set; }

    public long SeatPriceCents { get; set; }

    public string Currency { get; set; } = string.Empty;

    public string Starts { get; set; } = string.Empty;

    public string Ends { get; set; } = string.Empty;

    /// <summary>The channel's owning organisation (the vendor), or null for a house channel.</summary>
    public string? Vendor { get; set; }

    /// <summary>How many seats are assigned (may exceed <see cref="Seats"/> when seats were taken away).</summary>
    public long Assigned { get; set; }

    public bool IsActiveOn(string day) => string.CompareOrdinal(Starts, day) <= 0 && string.CompareOrdinal(day, Ends) <= 0;
}

/// <summary>
/// A seat a user holds in an active subscription, and its place among the subscription's seats in the order they
/// were assigned: a seat at or past <see cref="Seats"/> is over what the organisation bought.
/// </summary>
public sealed record Seat(long SubscriptionId, string Channel, string Organisation, long Seats, long Position)
{
    public bool IsWithin => Position < Seats;
}

/// <summary>Something an organisation's owners are told (seats used beyond those bought), once a day per subject.</summary>
public sealed class NoticeRow
{
    public long Id { get; set; }

    public string Organisation { get; set; } = string.Empty;

    public string At { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    public string Text { get; set; } = string.Empty;
}

/// <summary>One published snapshot of a commercial channel's sources.</summary>
public sealed class SnapshotRow
{
    public long Id { get; set; }

    public string Channel { get; set; } = string.Empty;

    public string Created { get; set; } = string.Empty;

    public string Actor { get; set; } = string.Empty;

    public string Sources { get; set; } = string.Empty;

    public long Files { get; set; }

    public long Added { get; set; }

    public long Removed { get; set; }
}
