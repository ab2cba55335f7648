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

        var store = new MetadataStore(home.DatabasePath);
        store.Migrate();
        if (!store.AddChannel(name, isPrivate, store.FirstAdministrator()?.Id))
        {
            throw new ServerHomeException($"a channel named '{name}' exists");
        }

        var publisher = new ChannelPublisher(store, new ChannelStorage(home.StoragePath), new ServerMetrics(), home.Settings.RepodataZstdLevel);
        publisher.PublishAsync(name, ServerNames.MainLabel, Platform.NoArch, null).GetAwaiter().GetResult();
        return name;
    }
}
