using System.Net.Http.Headers;
using System.Security.Cryptography;
using Krait.Server.Home;
using Krait.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Krait.Server.Tests;

/// <summary>Krait Server on real Kestrel (127.0.0.1, a free port) over a fresh home, with its administrator's key.</summary>
public sealed class RunningServer : IAsyncDisposable, IDisposable
{
    private readonly TempFolder folder = new("server-home");
    private readonly WebApplication app;

    private RunningServer(Action<string>? configure, ServerSettings? settings, string? adminKey)
    {
        var (home, key) = ServerHome.Init(folder.Combine("home"), settings: settings);
        configure?.Invoke(home.Path);
        AdminKey = key ?? adminKey ?? throw new InvalidOperationException("the database had an administrator already: give its key");
        app = KraitServer.Build(ServerHome.Open(home.Path), "http://127.0.0.1:0", logging => logging.AddProvider(Log));
        app.StartAsync().GetAwaiter().GetResult();
        Url = app.Urls.First().TrimEnd('/');
        Client = new HttpClient { BaseAddress = new Uri(Url + "/") };
        Admin = new HttpClient { BaseAddress = new Uri(Url + "/") };
        Admin.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
    }

    public string Url { get; }

    /// <summary>The request log: <c>METHOD PATH STATUS BYTES MSms</c> per request.</summary>
    public CapturedLog Log { get; } = new();

    public string AdminKey { get; }

    public string HomePath => folder.Combine("home");

    /// <summary>An anonymous client.</summary>
    public HttpClient Client { get; }

    /// <summary>A client sending the administrator's key.</summary>
    public HttpClient Admin { get; }

    /// <param name="configure">Changes the home (its server.json) before the server starts.</param>
    public static RunningServer Start(Action<string>? configure = null) => new(configure, null, null);

    /// <summary>A server over a new home with <paramref name="settings"/> (PostgreSQL, an object store); with <paramref name="adminKey"/>, one more instance of a repository whose database has its administrator already.</summary>
    public static RunningServer Start(ServerSettings settings, string? adminKey = null) => new(null, settings, adminKey);

    public async Task CreateChannel(string name, bool isPrivate = false, bool commercial = false)
    {
        using var response = await Admin.PostAsync("api/channels", Json($$"""{"name": "{{name}}", "private": {{(isPrivate ? "true" : "false")}}, "commercial": {{(commercial ? "true" : "false")}}}"""));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Uploads with quetz's route (what rattler-build upload quetz sends).</summary>
    public async Task<HttpResponseMessage> Upload(string channel, string archive, string? sha256 = null, bool force = false, string? label = null, HttpClient? client = null, string? fileName = null)
    {
        var bytes = await File.ReadAllBytesAsync(archive);
        sha256 ??= Convert.ToHexStringLower(SHA256.HashData(bytes));
        var query = $"sha256={sha256}&force={(force ? "true" : "false")}" + (label is null ? string.Empty : $"&label={label}");
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await (client ?? Admin).PostAsync($"api/channels/{channel}/upload/{fileName ?? Path.GetFileName(archive)}?{query}", content);
    }

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        folder.Dispose();
    }
}
