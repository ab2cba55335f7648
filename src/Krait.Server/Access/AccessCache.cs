using System.Collections.Concurrent;
using Krait.Server.Metadata;

namespace Krait.Server.Access;

/// <summary>
/// Who a key is and what channels are, remembered between requests while the access generation stays the same
/// (<see cref="MetadataStore.AccessGeneration"/>). Each request reads the generation (one small query), so a key
/// revoked, a role or seat changed, or a channel deleted on any instance is seen by every instance on its next
/// request; what a key resolves to costs the same as an anonymous request (measured: bench/server-access.sh; four
/// queries per keyed request before, at 0.44 of anonymous requests/s).
/// </summary>
public sealed class AccessCache(MetadataStore store)
{
    /// <summary>Past this many remembered keys (or channel names) that memory is cleared: it bounds a flood of distinct names or valid keys.</summary>
    private const int MaxRemembered = 100_000;

    private readonly ConcurrentDictionary<string, Remembered> callers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Generation, ChannelRow? Row)> channels = new(StringComparer.Ordinal);

    public long Generation() => store.AccessGeneration();

    /// <summary>The caller a key (by its hash) is, or null when the key is unknown, revoked or expired.</summary>
    public Caller? CallerOf(string keyHash, long generation)
    {
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        if (callers.TryGetValue(keyHash, out var known) && known.Generation == generation && known.Day == today)
        {
            return known.Expires is { } expires && expires <= now ? null : known.Caller;
        }

        var live = store.LiveKey(keyHash);
        if (live is null)
        {
            callers.TryRemove(keyHash, out _);
            return null;
        }

        var scopes = store.KeyScopes(live.Id);
        var (memberships, organisations) = store.Roles(live.UserId);
        var caller = new Caller(live.User, memberships, scopes.Count == 0 ? null : scopes)
        {
            KeyId = live.Id,
            Organisations = organisations,
            Seats = store.Seats(live.UserId, today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            Generation = generation,
        };
        if (callers.Count >= MaxRemembered)
        {
            callers.Clear();
        }

        callers[keyHash] = new Remembered(generation, today, live.Expires is { } text ? DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal) : null, caller);
        return caller;
    }

    /// <summary>The channel of this name (null: none), from memory when the generation is the one it was read at.</summary>
    public ChannelRow? Channel(string name, long? generation)
    {
        if (generation is not { } current)
        {
            return store.Channel(name);
        }

        if (channels.TryGetValue(name, out var known) && known.Generation == current)
        {
            return known.Row;
        }

        var row = store.Channel(name);
        if (channels.Count >= MaxRemembered)
        {
            channels.Clear();
        }

        channels[name] = (current, row);
        return row;
    }

    private sealed record Remembered(long Generation, DateOnly Day, DateTime? Expires, Caller Caller);
}
