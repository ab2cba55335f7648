using Krait.Server.Commerce;
using Krait.Server.Home;
using Krait.Server.Metadata;
using Krait.Server.Storage;

namespace Krait.Server;

/// <summary>Organisations, the commercial tier and curated channels, administered at the server home (the same store rules as the API).</summary>
public static partial class Administration
{
    /// <summary>Opens the home's metadata, migrated to the newest schema.</summary>
    public static MetadataStore Store(ServerHome home)
    {
        ArgumentNullException.ThrowIfNull(home);
        var store = home.OpenMetadata();
        store.Migrate();
        return store;
    }

    public static void CreateOrganisation(ServerHome home, string name, string owner)
    {
        var store = Store(home);
        if (!ServerNames.IsUser(name))
        {
            throw new ServerHomeException($"'{name}' is not a valid organisation name: letters, digits and single . - _ between them, at most 64 characters");
        }

        if (!store.AddOrganisation(Actor.Local, name, UserNamed(store, home, owner)))
        {
            throw new ServerHomeException($"an organisation named '{name}' exists");
        }
    }

    public static void SetOrganisationMember(ServerHome home, string organisation, string user, string role)
    {
        var store = Store(home);
        Organisation(store, organisation);
        if (!ChannelRoles.TryParse(role, out var parsed))
        {
            throw new ServerHomeException("--role must be member, maintainer or owner");
        }

        store.SetOrganisationMember(Actor.Local, organisation, UserNamed(store, home, user), parsed);
    }

    public static void RemoveOrganisationMember(ServerHome home, string organisation, string user)
    {
        var store = Store(home);
        Organisation(store, organisation);
        if (!store.RemoveOrganisationMember(Actor.Local, organisation, UserNamed(store, home, user)))
        {
            throw new ServerHomeException($"'{user}' is not a member of '{organisation}'");
        }
    }

    /// <summary>Makes a channel owned by an organisation (and commercial when asked), with its empty noarch index.</summary>
    public static void CreateOrganisationChannel(ServerHome home, string name, string? organisation, bool isPrivate, bool commercial)
    {
        var store = Store(home);
        if (organisation is not null)
        {
            Organisation(store, organisation);
        }

        CreateChannel(home, name, isPrivate, organisation, commercial);
    }

    public static void SetPlan(ServerHome home, string channel, string plan, string price, string currency)
    {
        var store = Store(home);
        var row = store.Channel(channel) is { Commercial: true } found ? found : throw new ServerHomeException($"there is no commercial channel '{channel}' (make one with: krait server channel create {home.Path} --name {channel} --commercial)");
        if (SaleTerms.PlanProblem(plan, price, currency, out var cents) is { } problem)
        {
            throw new ServerHomeException(problem);
        }

        store.SetPlan(Actor.Local, row.Name, plan, cents, currency);
    }

    public static long Subscribe(ServerHome home, string organisation, string channel, string plan, long seats, string starts, string ends)
    {
        var store = Store(home);
        Organisation(store, organisation);
        var found = store.Plans(channel).SingleOrDefault(p => p.Name == plan) ?? throw new ServerHomeException($"'{channel}' has no plan '{plan}' (see: krait server plan set)");
        Day(starts, "--start");
        Day(ends, "--end");
        if ((SaleTerms.SeatsProblem(seats) ?? SaleTerms.PeriodProblem(starts, ends)) is { } problem)
        {
            throw new ServerHomeException(problem);
        }

        return store.AddSubscription(Actor.Local, organisation, found, seats, starts, ends);
    }

    public static void ChangeSubscription(ServerHome home, long id, long? seats, string? ends)
    {
        var store = Store(home);
        if (ends is not null)
        {
            Day(ends, "--end");
        }

        if (SaleTerms.SeatsProblem(seats) is { } problem)
        {
            throw new ServerHomeException(problem);
        }

        if (!store.ChangeSubscription(Actor.Local, id, seats, ends))
        {
            throw new ServerHomeException($"there is no subscription {id}");
        }
    }

    public static void AssignSeat(ServerHome home, long subscription, string user)
    {
        var store = Store(home);
        var row = store.Subscription(subscription) ?? throw new ServerHomeException($"there is no subscription {subscription}");
        switch (store.AssignSeat(Actor.Local, row, UserNamed(store, home, user)))
        {
            case MetadataStore.SeatAssignment.NotMember:
                throw new ServerHomeException($"'{user}' is not a member of '{row.Organisation}': add them with krait server org member {home.Path} {row.Organisation} {user} --role member");
            case MetadataStore.SeatAssignment.AllTaken:
                throw new ServerHomeException($"all {row.Seats} seats of the subscription {subscription} to '{row.Channel}' are taken: buy more (krait server subscription change --seats) or free one");
            default:
                return;
        }
    }

    public static void FreeSeat(ServerHome home, long subscription, string user)
    {
        var store = Store(home);
        var row = store.Subscription(subscription) ?? throw new ServerHomeException($"there is no subscription {subscription}");
        if (!store.FreeSeat(Actor.Local, row, UserNamed(store, home, user)))
        {
            throw new ServerHomeException($"'{user}' holds no seat of the subscription {subscription}");
        }
    }

    public static void SetSources(ServerHome home, string channel, IReadOnlyList<string> sources)
    {
        var store = Store(home);
        _ = store.Channel(channel) ?? throw new ServerHomeException($"there is no channel '{channel}'");
        foreach (var source in sources)
        {
            if (source == channel || store.Channel(source) is null)
            {
                throw new ServerHomeException(source == channel ? "a channel is not its own source" : $"there is no channel '{source}'");
            }
        }

        if (sources.Distinct(StringComparer.Ordinal).Count() != sources.Count)
        {
            throw new ServerHomeException("each source channel once");
        }

        store.SetSources(Actor.Local, channel, sources);
    }

    public static SnapshotRow PublishSnapshot(ServerHome home, string channel)
    {
        var store = Store(home);
        var row = store.Channel(channel) ?? throw new ServerHomeException($"there is no channel '{channel}'");
        if (store.Sources(channel).Count == 0)
        {
            throw new ServerHomeException($"'{channel}' has no sources: set them with krait server channel sources {home.Path} --name {channel} --source CHANNEL");
        }

        using var storage = home.OpenStorage();
        using var publisher = Publisher(home, store, storage);
        var snapshot = new SnapshotPublisher(store, storage, publisher).PublishAsync(Actor.Local, row, CancellationToken.None).GetAwaiter().GetResult();
        publisher.IdleAsync().GetAwaiter().GetResult();
        return snapshot;
    }

    private static void Organisation(MetadataStore store, string name)
    {
        if (!store.OrganisationExists(name))
        {
            throw new ServerHomeException($"there is no organisation '{name}'");
        }
    }

    private static UserRow UserNamed(MetadataStore store, ServerHome home, string name) =>
        store.User(name) ?? throw new ServerHomeException($"there is no user '{name}'; add one with: krait server user add {home.Path} {name}");

    /// <summary>A day given to a command (<c>YYYY-MM-DD</c>), or <paramref name="otherwise"/> when none was; an error naming the option if it is no day.</summary>
    public static string Day(string? text, string option, string? otherwise = null) =>
        text is null ? otherwise ?? throw new ServerHomeException($"{option} is needed (YYYY-MM-DD)")
        : Http.UsageApi.IsDay(text) ? text
        : throw new ServerHomeException($"{option} must be a day, YYYY-MM-DD");
}
