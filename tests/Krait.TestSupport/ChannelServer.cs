using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Krait.TestSupport;

/// <summary>What a <see cref="ChannelServer"/> does to the next matching requests instead of serving them.</summary>
public enum Fault
{
    /// <summary>Answers 500.</summary>
    ServerError,

    /// <summary>Sends headers promising the whole body, then half of it, then drops the connection.</summary>
    Truncate,

    /// <summary>Serves other bytes of the same length (a wrong sha256).</summary>
    Corrupt,

    /// <summary>Waits two seconds before answering.</summary>
    Slow,
}

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) serving a folder of channels as conda channels are served:
/// ETag and Last-Modified with 304 answers, an optional Cache-Control max-age, <c>repodata.json.zst</c> made on the
/// fly from <c>repodata.json</c>, an optional token (<c>/t/TOKEN/…</c>, else 401), and faults injected per path.
/// </summary>
public sealed class ChannelServer : IAsyncDisposable, IDisposable
{
    private readonly WebApplication app;
    private readonly string root;
    private readonly ConcurrentQueue<(string Suffix, Fault Fault)> faults = new();

    private ChannelServer(string root, WebApplication app)
    {
        this.root = root;
        this.app = app;
    }

    public string Url { get; private set; } = string.Empty;

    /// <summary>Every request: method, path (token included) and whether it was conditional.</summary>
    public ConcurrentQueue<(string Path, bool Conditional, int Status)> Requests { get; } = new();

    public bool ServeZst { get; set; } = true;

    public TimeSpan? MaxAge { get; set; }

    public string? RequiredToken { get; set; }

    /// <summary>The Authorization header every request must carry (e.g. <c>Bearer abc</c>, <c>Basic …</c>), else 401.</summary>
    public string? RequiredAuthorization { get; set; }

    /// <summary>Serves <paramref name="root"/> over HTTP, or over HTTPS with <paramref name="certificate"/>.</summary>
    public static ChannelServer Start(string root, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (certificate is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        }

        var app = builder.Build();
        var server = new ChannelServer(Path.GetFullPath(root), app);
        app.Run(server.Handle);
        app.StartAsync().GetAwaiter().GetResult();
        server.Url = app.Urls.First().TrimEnd('/');
        return server;
    }

    /// <summary>The next <paramref name="times"/> requests whose path ends with <paramref name="suffix"/> get <paramref name="fault"/>.</summary>
    public void Inject(string suffix, Fault fault, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            faults.Enqueue((suffix, fault));
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task Handle(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var conditional = context.Request.Headers.IfNoneMatch.Count > 0 || context.Request.Headers.IfModifiedSince.Count > 0;
        try
        {
            await Serve(context, path);
        }
        finally
        {
            Requests.Enqueue((path, conditional, context.Response.StatusCode));
        }
    }

    private async Task Serve(HttpContext context, string path)
    {
        if (RequiredToken is not null)
        {
            var prefix = $"/t/{RequiredToken}/";
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
            {
                context.Response.StatusCode = 401;
                return;
            }

            path = "/" + path[prefix.Length..];
        }

        if (RequiredAuthorization is not null && context.Request.Headers.Authorization.ToString() != RequiredAuthorization)
        {
            context.Response.StatusCode = 401;
            return;
        }

        var fault = TakeFault(path);
        if (fault == Fault.ServerError)
        {
            context.Response.StatusCode = 500;
            return;
        }

        if (fault == Fault.Slow)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var body = Content(path);
        if (body is null || path.Contains("..", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.LastModified = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToString("R");
        if (MaxAge is { } age)
        {
            context.Response.Headers.CacheControl = $"public, max-age={(int)age.TotalSeconds}";
        }

        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.StatusCode = 304;
            return;
        }

        if (context.Request.Headers.Range.ToString() is { Length: > 6 } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && long.TryParse(range[6..^1], out var from) && from < body.Length)
        {
            // Resumed downloads: the rest of the file from the given offset.
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{body.Length - 1}/{body.Length}";
            body = body[(int)from..];
        }

        context.Response.ContentLength = body.Length;
        switch (fault)
        {
            case Fault.Truncate:
                await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2));
                await context.Response.Body.FlushAsync();
                // Let the half reach the client before the connection drops (a reset discards unsent bytes).
                await Task.Delay(200);
                context.Abort();
                return;
            case Fault.Corrupt:
                var other = (byte[])body.Clone();
                other[other.Length / 2] ^= 0xFF;
                await context.Response.Body.WriteAsync(other);
                return;
            default:
                await context.Response.Body.WriteAsync(body);
                return;
        }
    }

    private Fault? TakeFault(string path)
    {
        var count = faults.Count;
        for (var i = 0; i < count && faults.TryDequeue(out var rule); i++)
        {
            if (path.EndsWith(rule.Suffix, StringComparison.Ordinal))
            {
                return rule.Fault;
            }

            faults.Enqueue(rule);
        }

        return null;
    }

    private byte[]? Content(string path)
    {
        var file = Path.Combine(root, path.TrimStart('/').Replace('/', Path.DirectorySeparatorChar));
        if (File.Exists(file))
        {
            return File.ReadAllBytes(file);
        }

        if (ServeZst && file.EndsWith("repodata.json.zst", StringComparison.Ordinal) && File.Exists(file[..^4]))
        {
            using var compressor = new ZstdSharp.Compressor(3);
            return compressor.Wrap(File.ReadAllBytes(file[..^4])).ToArray();
        }

        return null;
    }
}
