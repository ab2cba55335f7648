using System.Net;
using System.Text.Json.Nodes;
using Krait.Server.Access;
using Krait.Server.Home;

namespace Krait.Server.Tests;

/// <summary>People's passwords: Argon2id hashes, sign-in that tells nothing about which names exist, a key for 30 days, and a rate limit.</summary>
public sealed class PasswordTests
{
    [Fact]
    public void A_hash_verifies_its_password_only_and_carries_its_parameters()
    {
        var hash = Passwords.Hash("correct horse battery");
        Assert.StartsWith("$argon2id$v=19$m=65536,t=3,p=1$", hash, StringComparison.Ordinal);
        Assert.NotEqual(hash, Passwords.Hash("correct horse battery"));
        Assert.True(Passwords.Verify("correct horse battery", hash));
        Assert.False(Passwords.Verify("correct horse batterY", hash));
        Assert.False(Passwords.Verify("correct horse battery", hash[..^2] + "AA"));
        Assert.False(Passwords.Verify("correct horse battery", hash.Replace("m=65536", "m=999999999", StringComparison.Ordinal)));
        Assert.False(Passwords.Verify("x", "not a hash"));
    }

    [Fact]
    public async Task People_sign_in_with_a_password_for_a_key_and_guessing_is_limited()
    {
        await using var server = RunningServer.Start();
        var home = ServerHome.Open(server.HomePath);
        Assert.Contains("shorter than", Assert.Throws<ServerHomeException>(() => Administration.AddUser(home, "short", false, "123")).Message, StringComparison.Ordinal);
        Administration.AddUser(home, "carol", false, "correct horse battery");
        Administration.AddUser(home, "keysonly", false);

        var wrongPassword = await SignIn(server, "carol", "Tr0ub4dor&3");
        var unknownUser = await SignIn(server, "mallory", "correct horse battery");
        var noPassword = await SignIn(server, "keysonly", "correct horse battery");
        Assert.All([wrongPassword, unknownUser, noPassword], r => Assert.Equal((401, "wrong user name or password"), r));

        var signedIn = await server.Client.PostAsync("api/sign-in", RunningServer.Json("""{"username": "carol", "password": "correct horse battery"}"""));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var answer = JsonNode.Parse(await signedIn.Content.ReadAsStringAsync())!;
        Assert.True(DateTimeOffset.Parse((string)answer["expire_at"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddDays(29));
        using var carol = new HttpClient { BaseAddress = new Uri(server.Url + "/") };
        carol.DefaultRequestHeaders.Add("X-API-Key", (string)answer["api_key"]!);
        Assert.Equal("carol", (string?)JsonNode.Parse(await carol.GetStringAsync("api/me"))!["name"]);

        // Ten attempts a minute per address: the eleventh is refused before any password is looked at.
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(401, (await SignIn(server, "carol", $"guess {i}")).Status);
        }

        var limited = await SignIn(server, "carol", "correct horse battery");
        Assert.Equal(429, limited.Status);
        Assert.Contains("too many sign-in attempts", limited.Detail, StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Detail)> SignIn(RunningServer server, string user, string password)
    {
        using var response = await server.Client.PostAsync("api/sign-in", RunningServer.Json($$"""{"username": "{{user}}", "password": "{{password}}"}"""));
        return ((int)response.StatusCode, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"] ?? string.Empty);
    }
}
