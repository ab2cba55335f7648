using Krait.Conda.Records;
using Krait.Index;
using Krait.Server.Access;
using Krait.Server.Metadata;
using Krait.Server.Metering;
using Krait.Server.Mirrors;
using Krait.Server.Publishing;
using Krait.Server.Storage;

namespace Krait.Server.Http;

/// <summary>
/// Serves what conda, mamba and pixi read, in anaconda.org's layout (and quetz's, under <c>/get/</c>):
/// <c>/CHANNEL/channeldata.json</c>, <c>/CHANNEL/SUBDIR/FILE</c>, and the same under <c>/CHANNEL/label/LABEL/</c>
/// (<c>main</c> is the default label). Only files that exist are served, from the published index or the stored
/// archive, with strong ETags, Last-Modified, 304, Range/206 and HEAD answering as GET would; anything else is a 404.
/// From an object store, index files pass through (<see cref="ObjectSend"/>) and shards and packages are redirects
/// to presigned URLs of their objects.
/// </summary>
public sealed class ChannelFiles(MetadataStore store, AccessCache access, ChannelStorage storage, ProxyChannel proxy, ServerMetrics metrics, DownloadMeter? meter, int repodataMaxAge)
{
    /// <summary>How long a redirect to the object store lets the client fetch the file.</summary>
    private static readonly TimeSpan RedirectLifetime = TimeSpan.FromHours(1);

    private static readonly HashSet<string> IndexFiles = new(StringComparer.Ordinal)
    {
        ChannelLayout.Repodata, ChannelLayout.RepodataZst, ChannelLayout.ShardIndex, ChannelLayout.RunExports, ChannelLayout.RepodataFromPackages,
    };

    public IResult Serve(HttpContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        var segments = (path ?? string.Empty).Split('/');
        if (segments.Length > 0 && segments[0] == "get")
        {
            segments = segments[1..];
        }

        if (segments.Length < 2 || segments.Any(s => s.Length == 0))
        {
            throw ApiException.NotFound($"/{path} is not a channel file");
        }

        var channel = ReadableChannel(Identity.Of(context), segments[0]);
        var rest = segments[1..];
        var label = ServerNames.MainLabel;
        if (rest[0] == "label" && rest.Length >= 3)
        {
            label = ServerNames.IsLabel(rest[1]) ? rest[1] : throw ApiException.NotFound($"'{rest[1]}' is not a label");
            rest = rest[2..];
        }

        return rest switch
        {
            [ChannelLayout.ChannelData] => IndexFile(context, channel, Path.Combine(storage.IndexFolder(channel.Name, label), ChannelLayout.ChannelData), path!),
            [var subdir, var file] when PackageNaming.IsValidSubdir(subdir) => SubdirFile(context, channel, label, subdir, file, path!),
            _ => throw ApiException.NotFound($"/{path} is not a channel file"),
        };
    }

    /// <summary>The channel, if the caller may know it exists (a commercial channel's plans are for everyone to see); otherwise 404.</summary>
    public ChannelRow KnownChannel(Caller caller, string name)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return ServerNames.IsChannel(name) && access.Channel(name, caller.Generation) is { } channel && AccessRules.CanSee(caller, channel, null)
            ? channel
            : throw ApiException.NotFound($"there is no channel '{name}'");
    }

    /// <summary>
    /// The channel, if the caller may read it; otherwise it does not exist for them (a commercial channel says what
    /// reading it needs, and an organisation using more seats than it bought has its owners told).
    /// </summary>
    public ChannelRow ReadableChannel(Caller caller, string name)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!ServerNames.IsChannel(name) || access.Channel(name, caller.Generation) is not { } channel)
        {
            throw ApiException.NotFound($"there is no channel '{name}'");
        }

        if (AccessRules.ReadRefusal(caller, channel) is { } refusal)
        {
            if (refusal.OverSeat is { } seat)
            {
                store.AddNotice(seat.Organisation, $"seats of subscription {seat.SubscriptionId}",
                    $"Members use more seats than the {seat.Seats} of the subscription to '{channel.Name}': those past the count are refused. Buy more seats or free some.");
            }

            throw new ApiException(refusal.Status, refusal.Detail);
        }

        return channel;
    }

    private IResult SubdirFile(HttpContext context, ChannelRow channel, string label, string subdir, string file, string path)
    {
        if (channel.Mirror is { Mode: MirrorMode.Proxy } upstream && label == ServerNames.MainLabel)
        {
            return ProxiedFile(context, channel, upstream, subdir, file, path);
        }

        var folder = storage.IndexSubdirFolder(channel.Name, label, subdir);
        if (IndexFiles.Contains(file))
        {
            return IndexFile(context, channel, Path.Combine(folder, file), path);
        }

        if (ChannelLayout.IsShard(file))
        {
            return Immutable(context, channel, Path.Combine(folder, file), file[..64], "application/octet-stream", path, size: null, package: null);
        }

        if (PackageFileName.TryParse(file, out _, out _, out _) && store.File(channel.Name, subdir, file) is { } row && row.Label == label)
        {
            return Immutable(context, channel, storage.ArchivePath(channel.Name, subdir, file), row.Sha256, ArchiveType(file), path, row.Size, (subdir, file));
        }

        throw ApiException.NotFound($"{channel.Name}/{(label == ServerNames.MainLabel ? string.Empty : $"label/{label}/")}{subdir}/{file} does not exist");
    }

    /// <summary>A proxy channel's files: the upstream's repodata (no shards: clients fall back to repodata.json) and its packages, cached.</summary>
    private FileSend ProxiedFile(HttpContext context, ChannelRow channel, MirrorSettings upstream, string subdir, string file, string path)
    {
        if (proxy.IndexFile(channel, upstream, subdir, file) is { } index)
        {
            return LocalIndexFile(context, channel, index, path);
        }

        if (PackageFileName.TryParse(file, out _, out _, out _) && proxy.Package(channel, upstream, subdir, file) is { } package)
        {
            return LocalImmutable(context, channel, package.Path, package.Sha256, ArchiveType(file), path, (subdir, file));
        }

        throw ApiException.NotFound($"/{path} does not exist (here or upstream)");
    }

    /// <summary>repodata, the shard index, run_exports, channeldata: replaced on every publication, so clients revalidate after max-age.</summary>
    private IResult IndexFile(HttpContext context, ChannelRow channel, string file, string path)
    {
        if (storage.Objects is not { } objects)
        {
            return LocalIndexFile(context, channel, file, path);
        }

        context.Response.Headers.CacheControl = $"{Visibility(channel)}, max-age={repodataMaxAge}";
        Count(context, channel, path);
        return new ObjectSend(objects, storage.KeyOf(file), ContentType(file));
    }

    /// <summary>An index file on this machine (the folder storage, or a proxy channel's cached upstream repodata).</summary>
    private FileSend LocalIndexFile(HttpContext context, ChannelRow channel, string file, string path)
    {
        var info = new FileInfo(file);
        if (!info.Exists)
        {
            throw ApiException.NotFound($"/{path} does not exist");
        }

        context.Response.Headers.CacheControl = $"{Visibility(channel)}, max-age={repodataMaxAge}";
        Count(context, channel, path);
        return new FileSend(info.FullName, ContentType(file), (length, modified) => $"\"{modified.Ticks:x}-{length:x}\"");
    }

    /// <summary>
    /// Shards and package files never change under their name. From an object store they are a redirect to a presigned
    /// URL of the object (for the request's method, since a signature covers it): conda, mamba and pixi follow it, and
    /// the bytes go from the store to the client directly.
    /// </summary>
    private IResult Immutable(HttpContext context, ChannelRow channel, string file, string hash, string contentType, string path, long? size, (string Subdir, string File)? package)
    {
        if (storage.Objects is not { } objects)
        {
            return LocalImmutable(context, channel, file, hash, contentType, path, package);
        }

        // The redirect is valid only as long as its signature: clients may keep it briefly, not for the year the file is.
        // Its bytes then go from the store: the download is counted when it is handed out.
        context.Response.Headers.CacheControl = $"{Visibility(channel)}, max-age=60";
        if (HttpMethods.IsGet(context.Request.Method))
        {
            metrics.RecordServed(channel.Name, path, size ?? 0);
            if (package is { } counted)
            {
                CountDownload(context, channel, counted.Subdir, counted.File);
            }
        }

        return Results.Redirect(objects.PresignedUrl(storage.KeyOf(file), context.Request.Method, RedirectLifetime));
    }

    /// <summary>A shard or package file on this machine: cached for a year.</summary>
    private FileSend LocalImmutable(HttpContext context, ChannelRow channel, string file, string hash, string contentType, string path, (string Subdir, string File)? package)
    {
        var info = new FileInfo(file);
        if (!info.Exists)
        {
            throw ApiException.NotFound($"/{path} does not exist");
        }

        context.Response.Headers.CacheControl = $"{Visibility(channel)}, max-age=31536000, immutable";
        Count(context, channel, path);
        if (package is { } counted)
        {
            context.Response.OnCompleted(() =>
            {
                if (IsCompletedDownload(context))
                {
                    CountDownload(context, channel, counted.Subdir, counted.File);
                }

                return Task.CompletedTask;
            });
        }

        return new FileSend(info.FullName, contentType, (_, _) => $"\"{hash}\"");
    }

    /// <summary>Counts a file served: the one place every channel file passes.</summary>
    private void Count(HttpContext context, ChannelRow channel, string path) =>
        context.Response.OnCompleted(() =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Response.StatusCode is 200 or 206)
            {
                metrics.RecordServed(channel.Name, path, context.Response.ContentLength ?? 0);
            }

            return Task.CompletedTask;
        });

    /// <summary>
    /// Whether a package response completed a download: a whole GET that was not cut off, or the range that ends at the
    /// file's last byte (a resumed download counts once, when it completes); never HEAD, 304 or other ranges.
    /// </summary>
    private static bool IsCompletedDownload(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || context.RequestAborted.IsCancellationRequested)
        {
            return false;
        }

        return context.Response.StatusCode switch
        {
            StatusCodes.Status200OK => true,
            StatusCodes.Status206PartialContent => Microsoft.Net.Http.Headers.ContentRangeHeaderValue.TryParse(context.Response.Headers.ContentRange.ToString(), out var range)
                && range.To is { } to && range.Length is { } length && to == length - 1,
            _ => false,
        };
    }

    /// <summary>One download of a package file, for metering: who (user and key, or anonymous), with which client, on which day.</summary>
    private void CountDownload(HttpContext context, ChannelRow channel, string subdir, string file)
    {
        if (!PackageFileName.TryParse(file, out var name, out var version, out var build))
        {
            return;
        }

        if (meter is null)
        {
            return;
        }

        var caller = Identity.Of(context);
        meter.Record(new DownloadKey(
            MetadataStore.Today(),
            channel.Name,
            subdir,
            name,
            version,
            build,
            caller.PayingOrganisation(channel.Name),
            caller.User?.Name ?? string.Empty,
            caller.KeyId ?? 0,
            ClientNames.FromUserAgent(context.Request.Headers.UserAgent.ToString())));
    }

    private static string ContentType(string file) => file.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "application/octet-stream";

    private static string Visibility(ChannelRow channel) => channel.Private ? "private" : "public";

    private static string ArchiveType(string file) => file.EndsWith(PackageFileName.TarBz2Extension, StringComparison.Ordinal) ? "application/x-tar" : "application/octet-stream";
}
