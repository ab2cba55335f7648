using Dapper;

namespace Krait.Server.Metadata;

/// <summary>
/// The commercial tier: plans of commercial channels, organisations' subscriptions to them, the seats assigned to
/// members, and notices to organisations' owners. The seat count is enforced in the transaction that assigns one.
/// </summary>
public sealed partial class MetadataStore
{
    /// <summary>What assigning a seat came to.</summary>
    public enum SeatAssignment
    {
        Assigned,
        AlreadyHeld,
        AllTaken,
        NotMember,
    }

    /// <summary>Adds (or reprices) a plan of a commercial channel.</summary>
    public void SetPlan(Actor actor, string channel, string name, long seatPriceCents, string currency)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            """
            INSERT INTO plans (channel, name, seat_price_cents, currency, created) VALUES (@channel, @name, @seatPriceCents, @currency, @created)
            ON CONFLICT (channel, name) DO UPDATE SET seat_price_cents = excluded.seat_price_cents, currency = excluded.currency
            """,
            new { channel, name, seatPriceCents, currency, created = Now() },
            transaction);
        Audit(connection, transaction, actor, "plan.set", channel, name, $"{Money.Format(seatPriceCents)} {currency} per seat per month");
        transaction.Commit();
    }

    public IReadOnlyList<PlanRow> Plans(string channel)
    {
        using var connection = Database.Open();
        return [.. connection.Query<PlanRow>(
            "SELECT id AS Id, channel AS Channel, name AS Name, seat_price_cents AS SeatPriceCents, currency AS Currency FROM plans WHERE channel = @channel ORDER BY name",
            new { channel })];
    }

    /// <summary>Subscribes an organisation to a channel's plan for so many seats, at the plan's price now; returns its id.</summary>
    public long AddSubscription(Actor actor, string organisation, PlanRow plan, long seats, string starts, string ends)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO subscriptions (organisation, channel, plan, seats, seat_price_cents, currency, starts, ends, created)
            VALUES (@organisation, @Channel, @Name, @seats, @SeatPriceCents, @Currency, @starts, @ends, @created) RETURNING id
            """,
            new { organisation, plan.Channel, plan.Name, seats, plan.SeatPriceCents, plan.Currency, starts, ends, created = Now() },
            transaction);
        Audit(connection, transaction, actor, "subscription.create", plan.Channel, $"subscription {id} of {organisation}",
            $"plan {plan.Name}, {seats} seats at {Money.Format(plan.SeatPriceCents)} {plan.Currency}, {starts} to {ends}", organisation);
        transaction.Commit();
        return id;
    }

    /// <summary>Changes a subscription's seat count or end; false when there is no such subscription.</summary>
    public bool ChangeSubscription(Actor actor, long id, long? seats, string? ends)
    {
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        var row = connection.QuerySingleOrDefault<(string Organisation, string Channel)>("SELECT organisation, channel FROM subscriptions WHERE id = @id", new { id }, transaction);
        if (row.Organisation is null)
        {
            return false;
        }

        connection.Execute(
            "UPDATE subscriptions SET seats = COALESCE(@seats, seats), ends = COALESCE(@ends, ends) WHERE id = @id", new { id, seats, ends }, transaction);
        Audit(connection, transaction, actor, "subscription.change", row.Channel, $"subscription {id} of {row.Organisation}",
            string.Join(", ", new[] { seats is { } s ? $"{s} seats" : null, ends is { } e ? $"ends {e}" : null }.Where(p => p is not null)), row.Organisation);
        transaction.Commit();
        return true;
    }

    private const string SubscriptionColumns = """
        subscriptions.id AS Id, subscriptions.organisation AS Organisation, subscriptions.channel AS Channel, subscriptions.plan AS Plan,
        subscriptions.seats AS Seats, subscriptions.seat_price_cents AS SeatPriceCents, subscriptions.currency AS Currency,
        subscriptions.starts AS Starts, subscriptions.ends AS Ends, channels.owner_org AS Vendor,
        (SELECT COUNT(*) FROM subscription_seats WHERE subscription_seats.subscription_id = subscriptions.id) AS Assigned
        FROM subscriptions JOIN channels ON channels.name = subscriptions.channel
        """;

    public SubscriptionRow? Subscription(long id)
    {
        using var connection = Database.Open();
        return connection.QuerySingleOrDefault<SubscriptionRow>($"SELECT {SubscriptionColumns} WHERE subscriptions.id = @id", new { id });
    }

    /// <summary>The subscriptions of one organisation, or of everyone; optionally only those running at some time from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public IReadOnlyList<SubscriptionRow> Subscriptions(string? organisation, string from = "0000-01-01", string to = "9999-12-31")
    {
        using var connection = Database.Open();
        return [.. connection.Query<SubscriptionRow>(
            $"SELECT {SubscriptionColumns} WHERE (@organisation = '' OR subscriptions.organisation = @organisation) AND subscriptions.starts <= @to AND subscriptions.ends >= @from ORDER BY subscriptions.id",
            new { organisation = organisation ?? string.Empty, from, to })];
    }

    /// <summary>
    /// Assigns a seat of a subscription to a member of its organisation, unless every seat is taken: then the
    /// organisation's owners get a notice and nothing is assigned.
    /// </summary>
    public SeatAssignment AssignSeat(Actor actor, SubscriptionRow subscription, UserRow user)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(user);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();

        // Counting and inserting in one transaction that first writes the subscription's row: two assignments at once take turns.
        connection.Execute("UPDATE subscriptions SET seats = seats WHERE id = @Id", subscription, transaction);
        if (connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM organisation_members WHERE organisation = @Organisation AND user_id = @userId", new { subscription.Organisation, userId = user.Id }, transaction) == 0)
        {
            return SeatAssignment.NotMember;
        }

        if (connection.ExecuteScalar<long>(
            "SELECT COUNT(*) FROM subscription_seats WHERE subscription_id = @Id AND user_id = @userId", new { subscription.Id, userId = user.Id }, transaction) == 1)
        {
            return SeatAssignment.AlreadyHeld;
        }

        var seats = connection.ExecuteScalar<long>("SELECT seats FROM subscriptions WHERE id = @Id", subscription, transaction);
        var taken = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM subscription_seats WHERE subscription_id = @Id", subscription, transaction);
        if (taken >= seats)
        {
            transaction.Rollback();
            AddNotice(subscription.Organisation, $"seats of subscription {subscription.Id}",
                $"All {seats} seats of the subscription to '{subscription.Channel}' are taken: {user.Name} got none. Buy more seats or free one.");
            return SeatAssignment.AllTaken;
        }

        connection.Execute(
            "INSERT INTO subscription_seats (subscription_id, user_id, assigned) VALUES (@Id, @userId, @assigned)", new { subscription.Id, userId = user.Id, assigned = Now() }, transaction);
        Audit(connection, transaction, actor, "seat.assign", subscription.Channel, user.Name, $"seat {taken + 1} of {seats} of subscription {subscription.Id}", subscription.Organisation);
        transaction.Commit();
        return SeatAssignment.Assigned;
    }

    /// <summary>Frees the seat a user holds in a subscription; false when they held none.</summary>
    public bool FreeSeat(Actor actor, SubscriptionRow subscription, UserRow user)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(user);
        using var connection = Database.Open();
        using var transaction = connection.BeginTransaction();
        if (connection.Execute("DELETE FROM subscription_seats WHERE subscription_id = @Id AND user_id = @userId", new { subscription.Id, userId = user.Id }, transaction) != 1)
        {
            return false;
        }

        Audit(connection, transaction, actor, "seat.free", subscription.Channel, user.Name, $"subscription {subscription.Id}", subscription.Organisation);
        transaction.Commit();
        return true;
    }

    /// <summary>Who holds a subscription's seats, in the order they were assigned.</summary>
    public IReadOnlyList<(string User, string Assigned)> SeatHolders(long subscriptionId)
    {
        using var connection = Database.Open();
        return [.. connection.Query<(string User, string Assigned)>(
            "SELECT users.name, subscription_seats.assigned FROM subscription_seats JOIN users ON users.id = subscription_seats.user_id WHERE subscription_id = @subscriptionId ORDER BY subscription_seats.id",
            new { subscriptionId })];
    }

    /// <summary>The seats a user holds in subscriptions active on <paramref name="day"/>, each with its place among its subscription's seats (it runs on every request with a key).</summary>
    public IReadOnlyList<Seat> Seats(long userId, string day)
    {
        using var connection = Database.Open();
        return [.. connection.Query<(long SubscriptionId, string Channel, string Organisation, long Seats, long Position)>(
            """
            SELECT s.id, s.channel, s.organisation, s.seats,
                (SELECT COUNT(*) FROM subscription_seats earlier WHERE earlier.subscription_id = s.id AND earlier.id < held.id)
            FROM subscription_seats held JOIN subscriptions s ON s.id = held.subscription_id
            WHERE held.user_id = @userId AND s.starts <= @day AND s.ends >= @day
            """,
            new { userId, day })
            .Select(r => new Seat(r.SubscriptionId, r.Channel, r.Organisation, r.Seats, r.Position))];
    }

    /// <summary>Tells an organisation's owners something, at most once a day per subject.</summary>
    public void AddNotice(string organisation, string subject, string text)
    {
        using var connection = Database.Open();
        connection.Execute(
            "INSERT INTO organisation_notices (organisation, day, at, subject, text) VALUES (@organisation, @day, @at, @subject, @text) ON CONFLICT (organisation, day, subject) DO NOTHING",
            new { organisation, day = Today(), at = Now(), subject, text });
    }

    public IReadOnlyList<NoticeRow> Notices(string organisation)
    {
        using var connection = Database.Open();
        return [.. connection.Query<NoticeRow>(
            "SELECT id AS Id, organisation AS Organisation, at AS At, subject AS Subject, text AS Text FROM organisation_notices WHERE organisation = @organisation ORDER BY id DESC LIMIT 500",
            new { organisation })];
    }
}
