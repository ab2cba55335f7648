using Krait.Server.Home;
using Krait.Server.Http;
using Krait.Server.Metering;
using Krait.Server.Mirrors;
using Krait.Server.Publishing;
using Krait.Server.Uploads;

namespace Krait.Server;

/// <summary>
/// Krait Server as an ASP.NET Core application over a server home: channel files for conda, mamba and pixi, the
/// JSON API, uploads, <c>/healthz</c> and <c>/metrics</c>. Middleware order: request log, errors as JSON, identity
/// (the one place a request's user is found), then the endpoints.
/// </summary>
public static class KraitServer
{
    /// <summary>The application for <paramref name="home"/>, listening on <paramref name="urls"/> (e.g. <c>http://127.0.0.1:8000</c>; port 0 picks a free one).</summary>
    public static WebApplication Build(ServerHome home, string urls, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(home);
        var store = home.OpenMetadata();
        store.Migrate();
        var storage = home.OpenStorage();
        storage.Objects?.CheckAsync(CancellationToken.None).GetAwaiter().GetResult();
        var metrics = new ServerMetrics();
        var publisher = new ChannelPublisher(store, storage, metrics, home.Settings.RepodataZstdLevel);
        var uploads = new UploadService(store, storage, publisher, metrics, home.Settings.MaxUploadBytes);
        var upstreamHttp = new Lazy<HttpClient>(() => Networking.HttpClients.Create(new Networking.NetworkSettings { UserAgent = "krait-server" }));
        var upstream = new Upstream(() => upstreamHttp.Value, Path.Combine(storage.Root, "upstream-cache"));
        var proxy = new ProxyChannel(storage, upstream, TimeSpan.FromSeconds(home.Settings.RepodataMaxAgeSeconds));
        var mirrors = new MirrorSync(store, storage, publisher, uploads, upstream);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Room for a multipart envelope around the largest package.
            kestrel.Limits.MaxRequestBodySize = home.Settings.MaxUploadBytes + (1 << 20);
            kestrel.AddServerHeader = false;

            // Files are written in 64 KiB pieces; a deeper buffer keeps the socket busy between them (measured: bench/server.sh).
            kestrel.Limits.MaxResponseBufferSize = 1 << 20;
        });
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
            });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }
        else
        {
            logging(builder.Logging);
        }

        builder.Services.AddSingleton(store);
        AccountApi.AddRateLimits(builder.Services);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Krait Server";
            document.Info.Description = "Channels, uploads, keys, members, audit and usage. quetz's shapes where quetz has the route. Channel files (repodata, shards, packages) are served outside /api, in anaconda.org's layout.";
            return Task.CompletedTask;
        }));
        builder.Services.AddSingleton(services => new DownloadMeter(store, services.GetRequiredService<ILogger<DownloadMeter>>()));
        builder.Services.AddHostedService(services => services.GetRequiredService<DownloadMeter>());
        builder.Services.AddSingleton(uploads);
        builder.Services.AddSingleton(new Commerce.SnapshotPublisher(store, storage, publisher));
        builder.Services.AddSingleton(mirrors);
        builder.Services.AddHostedService(_ => new PublisherWarmUp(store, publisher, metrics));
        builder.Services.AddHostedService(services => new DownloadFigures(store, publisher, TimeSpan.FromSeconds(home.Settings.ChannelDataDownloadsIntervalSeconds), services.GetRequiredService<ILogger<DownloadFigures>>()));
        builder.Services.AddHostedService(services => new MirrorSchedule(store, mirrors, TimeSpan.FromSeconds(home.Settings.MirrorIntervalSeconds), services.GetRequiredService<ILogger<MirrorSchedule>>()));
        var app = builder.Build();
        var access = new Access.AccessCache(store);
        var files = new ChannelFiles(store, access, storage, proxy, metrics, home.Settings.Metering ? app.Services.GetRequiredService<DownloadMeter>() : null, home.Settings.RepodataMaxAgeSeconds);
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            publisher.Dispose();
            storage.Dispose();
        });
        var requestLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Krait.Server.Requests");
        app.Use((context, next) => RequestLog.Handle(context, () => next(context), requestLogger, metrics));
        app.Use((context, next) => ErrorHandling.Handle(context, () => next(context)));
        app.Use((context, next) => Identity.Resolve(context, () => next(context), access));

        // Routing after identity: /t/KEY/… is routed as the path without the key.
        app.UseRouting();
        app.UseRateLimiter();

        app.MapOpenApi("/api/openapi.json");
        app.MapGet("/healthz", () => Results.Text("ok\n")).ExcludeFromDescription();
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4")).ExcludeFromDescription();
        ChannelApi.Map(app, store, storage, files, publisher);
        UploadApi.Map(app);
        AccountApi.Map(app, store, files);
        UsageApi.Map(app, store, files);
        OrganisationApi.Map(app, store);
        OidcApi.Map(app, store, home.Settings.Oidc is { } oidc ? new Access.OidcSignIn(oidc, upstreamHttp.Value) : null);
        CommerceApi.Map(app, store, files);
        SnapshotApi.Map(app, store, files);
        app.MapMethods("/api/{**rest}", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete], (string? rest) =>
            Results.Json(new { detail = $"/api/{rest} is not an API route of this server" }, statusCode: 404)).ExcludeFromDescription();
        app.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], (HttpContext context, string? path) => files.Serve(context, path ?? string.Empty)).ExcludeFromDescription();
        return app;
    }
}
