using Krait.Conda.Platforms;
using Krait.Server.Home;
using Krait.Server.Metadata;
using Krait.Server.Publishing;
using Krait.Server.Storage;

namespace Krait.Server;

/// <summary>What <c>krait server</c>'s administration commands do to a home directly (the server need not run): the same rules as the API.</summary>
public static partial class Administration
{
    /// <summary>
    /// Creates a public, private or commercial channel owned by an organisation or else by the first administrator,
    /// with its empty noarch index; returns its name.
    /// </summary>
    public static string CreateChannel(ServerHome home, string name, bool isPrivate, string? organisation = null, bool commercial = false)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (!ServerNames.IsChannel(name))
        {
            throw new ServerHomeException($"'{name}' is not a valid channel name: letters, digits and single . - _ between them, at most 64 characters (and not api, t, get, label)");
        }

        var store = home.OpenMetadata();
        store.Migrate();
        if (!store.AddChannel(Actor.Local, name, isPrivate, organisation is null ? store.FirstAdministrator()?.Id : null, null, organisation, commercial))
        {
            throw new ServerHomeException($"a channel named '{name}' exists");
        }

        using var storage = home.OpenStorage();
        using var publisher = Publisher(home, store, storage);
        publisher.PublishAsync(name, ServerNames.MainLabel, Platform.NoArch, null).GetAwaiter().GetResult();
        return name;
    }

    /// <summary>Publishes every label and subdir of a channel again from the metadata (a full re-index); returns how many subdirs.</summary>
    public static int Reindex(ServerHome home, string name)
    {
        ArgumentNullException.ThrowIfNull(home);
        var store = home.OpenMetadata();
        store.Migrate();
        if (!ServerNames.IsChannel(name) || store.Channel(name) is null)
        {
            throw new ServerHomeException($"there is no channel '{name}'");
        }

        using var storage = home.OpenStorage();
        using var publisher = Publisher(home, store, storage);
        var published = 0;
        foreach (var label in store.Labels(name).Append(ServerNames.MainLabel).Distinct())
        {
            foreach (var subdir in store.Subdirs(name, label).Append(Platform.NoArch).Distinct())
            {
                publisher.PublishAsync(name, label, subdir, null).GetAwaiter().GetResult();
                published++;
            }
        }

        publisher.IdleAsync().GetAwaiter().GetResult();
        return published;
    }

    /// <summary>Adds a user (who has no key yet: make one with <see cref="CreateKey"/>).</summary>
    public static UserRow AddUser(ServerHome home, string name, bool isAdmin, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (!ServerNames.IsUser(name))
        {
            throw new ServerHomeException($"'{name}' is not a valid user name: letters, digits and single . - _ between them, at most 64 characters");
        }

        var store = home.OpenMetadata();
        store.Migrate();
        if (store.User(name) is not null)
        {
            throw new ServerHomeException($"a user named '{name}' exists");
        }

        if (password is not null && password.Length < Access.Passwords.MinimumLength)
        {
            throw new ServerHomeException($"the password is shorter than {Access.Passwords.MinimumLength} characters");
        }

        var user = store.AddUser(Actor.Local, name, isAdmin);
        if (password is not null)
        {
            store.SetPassword(Actor.Local, user, Access.Passwords.Hash(password));
        }

        return user;
    }

    /// <summary>Makes an API key of a user, optionally scoped to one role in one channel (or one package of it); returns the key (shown once) and its id.</summary>
    public static (string Key, long Id) CreateKey(ServerHome home, string userName, string? channel, string? role, string? package, DateTimeOffset? expires, string? description)
    {
        ArgumentNullException.ThrowIfNull(home);
        var store = home.OpenMetadata();
        store.Migrate();
        var user = UserNamed(store, home, userName);
        List<KeyRole> scopes = [];
        if (channel is not null || role is not null || package is not null)
        {
            if (channel is null || store.Channel(channel) is null)
            {
                throw new ServerHomeException(channel is null ? "--role and --package need --channel" : $"there is no channel '{channel}'");
            }

            if (!ChannelRoles.TryParse(role, out var granted))
            {
                throw new ServerHomeException("--role must be member, maintainer or owner");
            }

            scopes.Add(new KeyRole(channel, package, granted));
        }

        if (expires is { } date && date <= DateTimeOffset.UtcNow)
        {
            throw new ServerHomeException($"--expires {date:yyyy-MM-dd} is not in the future");
        }

        var key = Access.ApiKeys.Generate();
        return (key, store.AddApiKey(Actor.Local, user, Access.ApiKeys.Hash(key), description, expires, scopes));
    }

    /// <summary>Revokes a key by its id (what <c>key list</c> shows).</summary>
    public static void RevokeKey(ServerHome home, long id)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (!home.OpenMetadata().RevokeKey(Actor.Local, id))
        {
            throw new ServerHomeException($"there is no live key {id} (see: krait server key list {home.Path})");
        }
    }

    private static ChannelPublisher Publisher(ServerHome home, MetadataStore store, ChannelStorage storage) =>
        new(store, storage, new ServerMetrics(), home.Settings.RepodataZstdLevel);
}
