using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>krait against a channel served over HTTP by a real server on 127.0.0.1.</summary>
public sealed class RemoteChannelTests : IDisposable
{
    private readonly TempFolder scratch = new("http");
    private readonly ChannelServer server = ChannelServer.Start(RepoPaths.Channels);
    private readonly Dictionary<string, string> environment;

    public RemoteChannelTests() => environment = new() { ["CONDA_PKGS_DIRS"] = Path.Combine(scratch, "pkgs") };

    public void Dispose()
    {
        server.Dispose();
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private string[] Channel(string? token = null) =>
        ["-c", token is null ? $"{server.Url}/conda-test-recipes" : $"{server.Url}/t/{token}/conda-test-recipes", "--override-channels", "--platform", "linux-64"];

    [Fact]
    public void Creates_an_environment_from_an_http_channel_and_again_offline_from_the_caches()
    {
        var prefix = Path.Combine(scratch, "online");
        var created = KraitProcess.Run(["create", "-p", prefix, "-y", "--json", .. Channel(), "another_dependent", "small-executable"], environment);
        Assert.True(created.ExitCode == 0, created.StandardError + created.StandardOutput);
        Assert.True(File.Exists(Path.Combine(prefix, "bin", "small")));
        using (var meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(prefix, "conda-meta", "dependent-2.0-0.json"))))
        {
            Assert.Equal($"{server.Url}/conda-test-recipes/noarch/dependent-2.0-0.conda", meta.RootElement.GetProperty("url").GetString());
        }

        var downloads = server.Requests.Count(r => r.Path.EndsWith(".conda", StringComparison.Ordinal));
        Assert.Equal(4, downloads);

        var offline = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "offline"), "-y", "-q", "--offline", .. Channel(), "another_dependent", "small-executable"], environment);
        Assert.True(offline.ExitCode == 0, offline.StandardError);
        Assert.Equal(downloads, server.Requests.Count(r => r.Path.EndsWith(".conda", StringComparison.Ordinal)));

        var missing = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "offline-2"), "-y", "--offline", .. Channel(), "versioned"], environment);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("offline", missing.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(scratch, "offline-2")));
    }

    [Fact]
    public void A_package_whose_bytes_are_not_what_the_channel_lists_is_refused_with_nothing_left_behind()
    {
        server.Inject("versioned-2.0-0.conda", Fault.Corrupt, times: 5);
        var prefix = Path.Combine(scratch, "env");
        var result = KraitProcess.Run(["create", "-p", prefix, "-y", .. Channel(), "versioned"], environment);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the channel lists; it was not kept", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("has sha256", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(prefix));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(scratch, "pkgs")), f => f.Contains("versioned", StringComparison.Ordinal));
    }

    [Fact]
    public void Auth_login_stores_a_token_only_the_user_can_read_and_sends_it_to_that_host()
    {
        server.RequiredAuthorization = "Bearer secret-bearer-42";
        var host = new Uri(server.Url).Authority;
        var home = Path.Combine(scratch, "home");
        Directory.CreateDirectory(home);
        var withHome = new Dictionary<string, string>(environment) { ["KRAIT_AUTH_FILE"] = Path.Combine(scratch, "auth", "auth.json"), ["NETRC"] = Path.Combine(scratch, "no-netrc") };

        var denied = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "denied"), "-y", "--dry-run", .. Channel(), "dependency"], withHome);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("krait auth login", denied.StandardError, StringComparison.Ordinal);

        var login = KraitProcess.Run(["auth", "login", host, "--token", "secret-bearer-42"], withHome);
        Assert.True(login.ExitCode == 0, login.StandardError);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(withHome["KRAIT_AUTH_FILE"]));
        }

        var list = KraitProcess.Run(["auth", "list"], withHome);
        Assert.Contains(host, list.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-bearer-42", list.StandardOutput + login.StandardOutput, StringComparison.Ordinal);

        var created = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "env"), "-y", "-q", .. Channel(), "dependent"], withHome);
        Assert.True(created.ExitCode == 0, created.StandardError);

        var logout = KraitProcess.Run(["auth", "logout", host], withHome);
        Assert.Contains("Logged out", logout.StandardOutput, StringComparison.Ordinal);
        var again = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "again"), "-y", "--dry-run", "--override-channels", "-c", $"{server.Url}/conda-test-recipes", "--platform", "linux-64", "versioned"], withHome);
        Assert.Equal(1, again.ExitCode);
    }

    [Fact]
    public void Custom_channels_and_proxy_servers_from_condarc_are_honoured()
    {
        Directory.CreateDirectory(scratch);
        var condarc = Path.Combine(scratch, "condarc.yml");
        File.WriteAllText(condarc, $"custom_channels:\n  conda-test-recipes: {server.Url}\n");
        var custom = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "custom"), "-y", "-q", "-c", "conda-test-recipes", "--override-channels", "--platform", "linux-64", "dependency"], new Dictionary<string, string>(environment) { ["CONDARC"] = condarc });
        Assert.True(custom.ExitCode == 0, custom.StandardError);
        Assert.Contains(server.Requests, r => r.Path == "/conda-test-recipes/noarch/dependency-2.0-0.conda");

        // A host that does not exist, reached only through the proxy (the test server, answering absolute-form requests).
        File.WriteAllText(condarc, $"proxy_servers:\n  http: {server.Url}\n");
        var proxied = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "proxied"), "-y", "-q", "-c", "http://krait-proxy-test.invalid/conda-test-recipes", "--override-channels", "--platform", "linux-64", "versioned"], new Dictionary<string, string>(environment) { ["CONDARC"] = condarc });
        Assert.True(proxied.ExitCode == 0, proxied.StandardError);
        Assert.Contains(server.Requests, r => r.Path.EndsWith("/versioned-2.0-0.conda", StringComparison.Ordinal));
    }

    [Fact]
    public void An_https_channel_is_trusted_through_ssl_verify_and_refused_without_it()
    {
        using var certificates = new TestCertificates();
        using var https = ChannelServer.Start(RepoPaths.Channels, certificates.Server);
        Assert.StartsWith("https://127.0.0.1:", https.Url, StringComparison.Ordinal);
        Directory.CreateDirectory(scratch);
        string[] arguments(string name) => ["create", "-p", Path.Combine(scratch, name), "-y", "-q", "-c", $"{https.Url}/conda-test-recipes", "--override-channels", "--platform", "linux-64", "dependency"];

        var untrusted = KraitProcess.Run(arguments("untrusted"), environment);
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("not trusted", untrusted.StandardError, StringComparison.Ordinal);
        Assert.Contains("ssl_verify", untrusted.StandardError, StringComparison.Ordinal);

        var condarc = Path.Combine(scratch, "condarc.yml");
        File.WriteAllText(condarc, $"ssl_verify: {certificates.WriteAuthorityPem(Path.Combine(scratch, "ca.pem"))}\n");
        var trusted = KraitProcess.Run(arguments("trusted"), new Dictionary<string, string>(environment) { ["CONDARC"] = condarc });
        Assert.True(trusted.ExitCode == 0, trusted.StandardError);
        Assert.Contains(https.Requests, r => r.Path == "/conda-test-recipes/noarch/dependency-2.0-0.conda");
    }

    [Fact]
    public void A_netrc_entry_gives_basic_auth()
    {
        server.RequiredAuthorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:wonderland"));
        var netrc = Path.Combine(scratch, "netrc");
        Directory.CreateDirectory(scratch);
        File.WriteAllText(netrc, $"machine {new Uri(server.Url).Host}\n  login alice\n  password wonderland\n");
        var withNetrc = new Dictionary<string, string>(environment) { ["NETRC"] = netrc, ["KRAIT_AUTH_FILE"] = Path.Combine(scratch, "none.json") };
        var created = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "env"), "-y", "-q", .. Channel(), "dependency"], withNetrc);
        Assert.True(created.ExitCode == 0, created.StandardError);
    }

    [Fact]
    public void A_user_and_password_in_the_channel_url_are_sent_as_basic_auth_and_never_stored()
    {
        server.RequiredAuthorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("bob:hunter2-pw"));
        var prefix = Path.Combine(scratch, "env");
        var url = server.Url.Replace("http://", "http://bob:hunter2-pw@", StringComparison.Ordinal) + "/conda-test-recipes";
        var created = KraitProcess.Run(["create", "-p", prefix, "-y", "-c", url, "--override-channels", "--platform", "linux-64", "dependent"], environment);
        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.DoesNotContain("hunter2-pw", created.StandardOutput + created.StandardError, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(prefix, "*", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(Path.Combine(scratch, "pkgs"), "*", SearchOption.AllDirectories)))
        {
            if (!file.EndsWith(".conda", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("hunter2-pw", File.ReadAllText(file), StringComparison.Ordinal);
            }
        }

        var wrong = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "wrong"), "-y", "--dry-run", "-c", url.Replace("hunter2-pw", "nope-pw", StringComparison.Ordinal), "--override-channels", "--platform", "linux-64", "versioned"], environment);
        Assert.Equal(1, wrong.ExitCode);
        Assert.DoesNotContain("nope-pw", wrong.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_channel_works_with_its_token_and_never_prints_it()
    {
        server.RequiredToken = "tok-123456";
        var denied = KraitProcess.Run(["create", "-p", Path.Combine(scratch, "denied"), "-y", "--dry-run", .. Channel(), "dependency"], environment);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("401", denied.StandardError, StringComparison.Ordinal);

        var prefix = Path.Combine(scratch, "env");
        var created = KraitProcess.Run(["create", "-p", prefix, "-y", .. Channel("tok-123456"), "dependent"], environment);
        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.DoesNotContain("tok-123456", created.StandardOutput + created.StandardError, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(prefix, "conda-meta")))
        {
            Assert.DoesNotContain("tok-123456", File.ReadAllText(file), StringComparison.Ordinal);
        }

        Assert.Contains(server.Requests, r => r.Path == "/t/tok-123456/conda-test-recipes/noarch/dependent-2.0-0.conda" && r.Status == 200);
    }
}
