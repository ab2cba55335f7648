using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Krait.Server.Home;
using Krait.TestSupport;

namespace Krait.Server.Tests.Oidc;

/// <summary>
/// Sign-in with OpenID Connect against a real provider on 127.0.0.1, driven as a browser does it (redirects, the
/// provider's login and consent forms, cookies): a key comes back, the same identity is the same user next time,
/// a local user's name is never handed to an identity, and a sign-in cannot be replayed.
/// </summary>
public sealed partial class OidcSignInTests
{
    [Fact]
    public async Task People_sign_in_at_the_provider_and_get_a_key()
    {
        var providerPort = FreePorts.Next();
        await using var server = RunningServer.Start(home =>
        {
            var settings = ServerSettings.Load(home);
            (settings with { Oidc = new OidcSettings { Issuer = $"http://127.0.0.1:{providerPort}", ClientId = "krait", ClientSecret = OidcProvider.ClientSecret } }).Save(home);
        });
        using var provider = new OidcProvider(providerPort, server.Url + "/api/oidc/callback");
        Administration.AddUser(ServerHome.Open(server.HomePath), "bob", isAdmin: false);

        var (alice, callback) = await SignIn(server, "alice");
        Assert.Equal("alice", (string?)alice["username"]);
        using (var client = new HttpClient { BaseAddress = new Uri(server.Url + "/") })
        {
            client.DefaultRequestHeaders.Add("X-API-Key", (string)alice["api_key"]!);
            Assert.Equal("alice", (string?)JsonNode.Parse(await client.GetStringAsync("api/me"))!["name"]);
        }

        // The callback is used once: replayed, it is refused.
        using (var replay = new HttpClient())
        using (var replayed = await replay.GetAsync(callback))
        {
            Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
            Assert.Contains("start again", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (again, _) = await SignIn(server, "alice");
        Assert.Equal("alice", (string?)again["username"]);
        Assert.NotEqual((string?)alice["api_key"], (string?)again["api_key"]);

        // "bob" is a local user: the provider's bob gets a user of his own.
        var (bob, _) = await SignIn(server, "bob");
        Assert.Equal("bob-2", (string?)bob["username"]);

        var audit = JsonNode.Parse(await server.Admin.GetStringAsync("api/audit"))!.AsArray();
        Assert.Contains(audit, e => (string?)e!["action"] == "user.add" && (string?)e["subject"] == "alice" && ((string?)e["detail"])!.Contains("subject-of-alice", StringComparison.Ordinal));
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync($"{server.Url}/api/oidc/callback?code=x&state=forged")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{server.Url}/api/oidc/callback?error=access_denied")).StatusCode);
    }

    [Fact]
    public async Task A_server_without_a_provider_says_how_to_set_one()
    {
        await using var server = RunningServer.Start();
        using var response = await server.Client.GetAsync("api/oidc/login");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("in its server.json (issuer, client_id, client_secret)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Signs in as a browser would: follows redirects with cookies, fills the provider's login and consent forms; returns the server's answer and the callback URL.</summary>
    private static async Task<(JsonNode Answer, string Callback)> SignIn(RunningServer server, string login)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() });
        var url = new Uri(server.Url + "/api/oidc/login");
        for (var step = 0; step < 20; step++)
        {
            using var response = await browser.GetAsync(url);
            if (url.AbsolutePath == "/api/oidc/callback")
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, body);
                return (JsonNode.Parse(body)!, url.ToString());
            }

            if (response.Headers.Location is { } location)
            {
                url = new Uri(url, location);
                continue;
            }

            // A page of the provider: its form, filled as a person would (any password: the provider's development login).
            var page = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, page);
            var action = new Uri(url, WebUtility.HtmlDecode(FormAction().Match(page).Groups[1].Value));
            var prompt = PromptField().Match(page).Groups[1].Value;
            var fields = new Dictionary<string, string> { ["prompt"] = prompt };
            if (prompt == "login")
            {
                fields["login"] = login;
                fields["password"] = "any password";
            }

            using var submitted = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
            Assert.True(submitted.Headers.Location is not null, $"{prompt}: {(int)submitted.StatusCode} {await submitted.Content.ReadAsStringAsync()}");
            url = new Uri(action, submitted.Headers.Location);
        }

        throw new InvalidOperationException("the sign-in did not come back to the server in 20 steps");
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("name=\"prompt\" value=\"([a-z]+)\"")]
    private static partial Regex PromptField();
}
