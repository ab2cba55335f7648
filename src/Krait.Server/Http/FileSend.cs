using Microsoft.Net.Http.Headers;

namespace Krait.Server.Http;

/// <summary>
/// Sends a channel file. A plain GET (no Range, no condition) is written straight from the file into Kestrel's
/// response pipe (no intermediate buffer: measured against nginx in bench/server.sh); HEAD answers with the same
/// headers; conditional and range requests go to ASP.NET's file result, which answers 304, 206 and 412. The file is
/// opened first and its length, time and tag taken from the open handle, so a file replaced meanwhile is sent whole,
/// as it was when opened.
/// </summary>
public sealed class FileSend(string path, string contentType, Func<long, DateTime, string> tagOf) : IResult
{
    private const int ChunkBytes = 256 << 10;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        using var handle = TryOpen(path);
        if (handle is null)
        {
            await ErrorHandling.Write(httpContext, StatusCodes.Status404NotFound, $"{httpContext.Request.Path} does not exist").ConfigureAwait(false);
            return;
        }

        var length = RandomAccess.GetLength(handle);
        var modified = File.GetLastWriteTimeUtc(handle);
        var tag = tagOf(length, modified);
        var request = httpContext.Request;
        var headers = request.Headers;
        if (headers.Range.Count > 0 || headers.IfNoneMatch.Count > 0 || headers.IfModifiedSince.Count > 0 || headers.IfMatch.Count > 0
            || headers.IfUnmodifiedSince.Count > 0 || headers.IfRange.Count > 0)
        {
            await Results.File(path, contentType, fileDownloadName: null, lastModified: modified, entityTag: EntityTagHeaderValue.Parse(tag), enableRangeProcessing: true)
                .ExecuteAsync(httpContext).ConfigureAwait(false);
            return;
        }

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = length;
        response.Headers.ETag = tag;
        response.Headers.LastModified = HeaderUtilities.FormatDate(modified);
        response.Headers.AcceptRanges = "bytes";
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        var writer = response.BodyWriter;
        var cancellation = httpContext.RequestAborted;
        for (long offset = 0; offset < length;)
        {
            var memory = writer.GetMemory(ChunkBytes);
            var read = await RandomAccess.ReadAsync(handle, memory, offset, cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            writer.Advance(read);
            offset += read;
            var flushed = await writer.FlushAsync(cancellation).ConfigureAwait(false);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                break;
            }
        }
    }

    /// <summary>The open file, or null when it was deleted between the lookup and now (a file taken out of the channel).</summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle? TryOpen(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
