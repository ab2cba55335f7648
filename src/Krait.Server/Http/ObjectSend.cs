using Krait.Server.Storage;
using Microsoft.Net.Http.Headers;

namespace Krait.Server.Http;

/// <summary>
/// Sends a published index file (repodata, shard index, channeldata) from the shared object store, through this
/// server, so that every instance answers alike and conditions are decided here: GET reads the object once and takes
/// its length, time and tag from that read (an object replaced meanwhile is sent whole, as it was read); HEAD asks
/// for the same headers only. The tag is the store's (the same bytes give the same tag on every instance).
/// </summary>
public sealed class ObjectSend(ObjectStore objects, string key, string contentType) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var cancellation = httpContext.RequestAborted;
        var request = httpContext.Request;
        var response = httpContext.Response;
        if (HttpMethods.IsHead(request.Method))
        {
            if (await objects.StatAsync(key, cancellation).ConfigureAwait(false) is not { } stat)
            {
                await ErrorHandling.Write(httpContext, StatusCodes.Status404NotFound, $"{request.Path} does not exist").ConfigureAwait(false);
                return;
            }

            Answer(httpContext, stat.Length, stat.Modified, stat.ETag);
            return;
        }

        using var read = await objects.OpenAsync(key, cancellation).ConfigureAwait(false);
        if (read is null)
        {
            await ErrorHandling.Write(httpContext, StatusCodes.Status404NotFound, $"{request.Path} does not exist").ConfigureAwait(false);
            return;
        }

        if (Answer(httpContext, read.ContentLength, read.LastModified ?? DateTime.UnixEpoch, read.ETag))
        {
            await read.ResponseStream.CopyToAsync(response.Body, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Sets the status and headers; true when the body is to follow (200), false for 304.</summary>
    private bool Answer(HttpContext context, long length, DateTime modified, string storeTag)
    {
        var tag = storeTag.StartsWith('"') ? storeTag : $"\"{storeTag}\"";
        var response = context.Response;
        var headers = context.Request.GetTypedHeaders();
        response.Headers.ETag = tag;
        response.Headers.LastModified = HeaderUtilities.FormatDate(modified);
        var notModified = headers.IfNoneMatch.Count > 0
            ? headers.IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(EntityTagHeaderValue.Parse(tag), useStrongComparison: false))
            : headers.IfModifiedSince is { } since && Seconds(modified.ToUniversalTime()) <= since.UtcDateTime;
        if (notModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return false;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = length;
        return true;
    }

    /// <summary>An HTTP date has whole seconds: a time is compared with one at that precision.</summary>
    private static DateTime Seconds(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
