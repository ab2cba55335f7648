using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Server.Tests;

/// <summary>The krait client against Krait Server, as real processes over HTTP: upload, create from it (sharded, with a token), and <c>krait server</c> itself.</summary>
public sealed class ClientInteropTests : IAsyncLifetime
{
    private readonly TempFolder scratch = new TempFolder("server-interop").Create();
    private RunningServer server = null!;
    private Dictionary<string, string> environment = null!;

    private static IEnumerable<string> Recipes => Directory.EnumerateFiles(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch"), "*.conda").Order(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        server = RunningServer.Start();
        environment = new() { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs") };
        await server.CreateChannel("demo");
        await server.CreateChannel("secret", isPrivate: true);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        scratch.Dispose();
    }

    [Fact]
    public void Krait_uploads_then_creates_an_environment_from_the_server_through_its_shards()
    {
        var upload = KraitProcess.Run(["upload", "-c", $"{server.Url}/demo", "--api-key", server.AdminKey, .. Recipes], environment);
        Assert.True(upload.ExitCode == 0, upload.StandardError);
        Assert.Equal(Recipes.Count(), upload.StandardOutput.Split('\n').Count(l => l.StartsWith("uploaded ", StringComparison.Ordinal)));

        var again = KraitProcess.Run(["upload", "-c", $"{server.Url}/demo", "--api-key", server.AdminKey, Recipes.First()], environment);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("refused", again.StandardError, StringComparison.Ordinal);
        Assert.Contains("409", again.StandardError, StringComparison.Ordinal);

        var prefix = scratch.Combine("env");
        var create = KraitProcess.Run(["create", "-y", "-p", prefix, "-c", $"{server.Url}/demo", "--override-channels", "--platform", "linux-64", "another_dependent", "small-executable"], environment);
        Assert.True(create.ExitCode == 0, create.StandardError + create.StandardOutput);
        using (var meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(prefix, "conda-meta", "dependent-2.0-0.json"))))
        {
            Assert.Equal($"{server.Url}/demo/noarch/dependent-2.0-0.conda", meta.RootElement.GetProperty("url").GetString());
        }

        Assert.True(File.Exists(Path.Combine(prefix, "bin", "small")));
        var log = server.Log.Lines.ToList();
        Assert.Contains(log, l => l.StartsWith("GET /demo/noarch/repodata_shards.msgpack.zst 200", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("GET /demo/noarch/", StringComparison.Ordinal) && l.Contains(".msgpack.zst 200", StringComparison.Ordinal) && !l.Contains("repodata_shards", StringComparison.Ordinal));
    }

    [Fact]
    public void Krait_build_uploads_what_it_built_and_tested()
    {
        var recipe = Path.Combine(RepoPaths.Root, "tests", "Krait.Build.Tests", "Recipes", "greeting");
        var built = KraitProcess.Run(["build", recipe, "--output-dir", scratch.Combine("output"), "--upload", $"{server.Url}/demo", "--api-key", server.AdminKey], environment);
        Assert.True(built.ExitCode == 0, built.StandardError + built.StandardOutput);
        Assert.Equal(2, built.StandardOutput.Split('\n').Count(l => l.StartsWith("uploaded greeting-1.0-h", StringComparison.Ordinal)));

        var search = KraitProcess.Run(["search", "-c", $"{server.Url}/demo", "--override-channels", "greeting", "--json"], environment);
        Assert.True(search.ExitCode == 0, search.StandardError);
        Assert.Equal(2, JsonDocument.Parse(search.StandardOutput).RootElement.GetProperty("greeting").GetArrayLength());

        var refused = KraitProcess.Run(["build", recipe, "--output-dir", scratch.Combine("output"), "--api-key", server.AdminKey], environment);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--api-key is for --upload", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_channel_is_used_with_the_key_in_its_url_and_the_key_never_reaches_the_log()
    {
        var upload = KraitProcess.Run(["upload", "-c", $"{server.Url}/t/{server.AdminKey}/secret", Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", "versioned-2.0-0.conda")], environment);
        Assert.True(upload.ExitCode == 0, upload.StandardError);
        Assert.DoesNotContain(server.AdminKey, upload.StandardOutput, StringComparison.Ordinal);

        var withoutKey = KraitProcess.Run(["create", "-y", "-p", scratch.Combine("nokey"), "-c", $"{server.Url}/secret", "--override-channels", "versioned"], environment);
        Assert.Equal(1, withoutKey.ExitCode);

        var prefix = scratch.Combine("env");
        var create = KraitProcess.Run(["create", "-y", "-p", prefix, "-c", $"{server.Url}/t/{server.AdminKey}/secret", "--override-channels", "versioned"], environment);
        Assert.True(create.ExitCode == 0, create.StandardError);
        Assert.True(File.Exists(Path.Combine(prefix, "conda-meta", "versioned-2.0-0.json")));
        Assert.DoesNotContain(server.Log.Lines, l => l.Contains(server.AdminKey, StringComparison.Ordinal));
        Assert.Contains(server.Log.Lines, l => l.StartsWith("GET /t/<redacted>/secret/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Krait_server_init_and_run_pass_through_to_krait_server()
    {
        var serverDll = Path.Combine(Path.GetDirectoryName(KraitProcess.CliPath)!, "..", "..", "..", "..", "Krait.Server", "bin", Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(KraitProcess.CliPath))!), "net10.0", "krait-server.dll");
        Assert.True(File.Exists(serverDll), $"build the server first: {serverDll}");
        var withServer = new Dictionary<string, string>(environment) { ["KRAIT_SERVER_EXE"] = Path.GetFullPath(serverDll) };
        var home = scratch.Combine("home");

        var init = KraitProcess.Run(["server", "init", home, "--json"], withServer);
        Assert.True(init.ExitCode == 0, init.StandardError);
        string key;
        using (var json = JsonDocument.Parse(init.StandardOutput))
        {
            key = json.RootElement.GetProperty("api_key").GetString()!;
        }

        var twice = KraitProcess.Run(["server", "init", home], withServer);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("already a Krait server home", twice.StandardError, StringComparison.Ordinal);

        var port = FreePorts.Next();
        using var running = KraitProcess.Start(["server", "run", home, "--urls", $"http://127.0.0.1:{port}"], scratch.Combine("run-home"), withServer);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var ready = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (ready.Elapsed < TimeSpan.FromSeconds(60) && !running.HasExited)
                {
                    await Task.Delay(100);
                }
            }

            http.DefaultRequestHeaders.Add("X-API-Key", key);
            using var me = await http.GetAsync("api/me");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }
        finally
        {
            Signals.Terminate(running);
            Assert.True(running.WaitForExit(30_000), "krait server run did not stop on SIGTERM");
        }
    }
}
