using System.Diagnostics;
using System.Text.RegularExpressions;
using Krait.Server.Publishing;

namespace Krait.Server.Http;

/// <summary>One structured log line per request (method, path with any key redacted, status, bytes, milliseconds), and the request counters.</summary>
public static partial class RequestLog
{
    public static async Task Handle(HttpContext context, Func<Task> next, ILogger logger, ServerMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        var path = Redact(context.Request.Path.Value ?? "/");
        try
        {
            await next().ConfigureAwait(false);
        }
        finally
        {
            var status = context.Response.StatusCode;
            metrics.RecordRequest(status);
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log(logger, context.Request.Method, path, status, context.Response.ContentLength ?? 0, milliseconds);
        }
    }

    /// <summary>A path as it may be logged: <c>/t/KEY/…</c> becomes <c>/t/&lt;redacted&gt;/…</c>, and so does the key of <c>DELETE /api/api-keys/KEY</c>.</summary>
    public static string Redact(string path) => KeyToRevoke().Replace(TokenInPath().Replace(path, "/t/<redacted>"), "/api/api-keys/<redacted>");

    [GeneratedRegex("^/t/[^/]*")]
    private static partial Regex TokenInPath();

    [GeneratedRegex("^/api/api-keys/[^/]+")]
    private static partial Regex KeyToRevoke();

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {Bytes} {Milliseconds:0.0}ms")]
    private static partial void Log(ILogger logger, string method, string path, int status, long bytes, double milliseconds);
}
