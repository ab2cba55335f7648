using Krait.Conda.Platforms;
using Krait.Server.Home;
using Krait.Server.Metadata;
using Krait.Server.Publishing;
using Krait.Server.Storage;

namespace Krait.Server;

/// <summary>What <c>krait server</c>'s administration commands do to a home directly (the server need not run): the same rules as the API.</summary>
public static class Administration
{
    /// <summary>Creates a public or private channel owned by the first administrator, with its empty noarch index; returns its name.</summary>
    public static string CreateChannel(ServerHome home, string name, bool isPrivate)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (!ServerNames.IsChannel(name))
        {
            throw new ServerHomeException($"'{name}' is not a valid channel name: letters, digits and single . - _ between them, at most 64 characters (and not api, t, get, label)");
        }

        var store = home.OpenMetadata();
        store.Migrate();
        if (!store.AddChannel(name, isPrivate, store.FirstAdministrator()?.Id))
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

    private static ChannelPublisher Publisher(ServerHome home, MetadataStore store, ChannelStorage storage) =>
        new(store, storage, new ServerMetrics(), home.Settings.RepodataZstdLevel);
}
