
namespace Krait.Server.Http;

/// <summary>Every refusal is JSON <c>{"detail": "…"}</c> with its status, whatever threw it; never an HTML page.</summary>
public static class ErrorHandling
{
    public static async Task Handle(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next().ConfigureAwait(false);
            if (context.Response.StatusCode == 404 && !context.Response.HasStarted && context.Response.ContentLength is null && context.Response.ContentType is null)
            {
                await Write(context, 404, $"{context.Request.Path} does not exist").ConfigureAwait(false);
            }
        }
        catch (ApiException e)
        {
            await Write(context, e.Status, e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await Write(context, e.StatusCode, e.StatusCode == 413 ? "the request body is larger than this server accepts (max_upload_bytes in server.json)" : e.Message).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await Write(context, 400, e.Message).ConfigureAwait(false);
        }
    }

    public static async Task Write(HttpContext context, int status, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ErrorBody(detail)).ConfigureAwait(false);
    }

    private sealed record ErrorBody(string detail);
}
