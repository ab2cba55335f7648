using System.Text.Json.Nodes;
using Krait.TestSupport;

namespace Krait.Server.Tests;

/// <summary><c>krait server user …</c> and <c>krait server key …</c> on a server home, as real processes: keys shown once, listed without their secret, revoked.</summary>
public sealed class AdministrationCommandTests : IDisposable
{
    private readonly TempFolder scratch = new TempFolder("server-admin").Create();

    [Fact]
    public void Users_and_keys_are_added_listed_and_revoked()
    {
        var home = scratch.Combine("home");
        Assert.Equal(0, Run("init", home, "--json").ExitCode);
        Assert.Equal("alice", (string?)JsonNode.Parse(Expect(0, "user", "add", home, "alice", "--json").StandardOutput)!["name"]);
        Assert.Contains("exists", Expect(1, "user", "add", home, "alice").StandardError, StringComparison.Ordinal);
        Assert.Contains("not a valid user name", Expect(1, "user", "add", home, "../x").StandardError, StringComparison.Ordinal);
        var withPassword = ServerCommand.Run("a long enough secret\n", "user", "add", home, "dave", "--password-stdin");
        Assert.True(withPassword.ExitCode == 0, withPassword.StandardError);
        var store = Home.ServerHome.Open(home).OpenMetadata();
        Assert.True(Access.Passwords.Verify("a long enough secret", store.PasswordHash(store.User("dave")!.Id)!));
        Assert.DoesNotContain("a long enough secret", withPassword.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("no channel 'demo'", Expect(1, "key", "create", home, "--user", "alice", "--channel", "demo", "--role", "member").StandardError, StringComparison.Ordinal);
        Assert.Contains("no user 'bob'", Expect(1, "key", "create", home, "--user", "bob").StandardError, StringComparison.Ordinal);

        Expect(0, "channel", "create", home, "--name", "demo", "--private");
        Assert.Contains("member, maintainer or owner", Expect(1, "key", "create", home, "--user", "alice", "--channel", "demo", "--role", "admin").StandardError, StringComparison.Ordinal);
        var created = JsonNode.Parse(Expect(0, "key", "create", home, "--user", "alice", "--channel", "demo", "--role", "member", "--expires", "2099-01-01", "--json").StandardOutput)!;
        var key = created["api_key"]!.GetValue<string>();
        var id = created["id"]!.GetValue<long>();

        var listed = Expect(0, "key", "list", home, "--user", "alice", "--json").StandardOutput;
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        var entry = JsonNode.Parse(listed)!.AsArray().Single()!;
        Assert.Equal(["demo:member"], entry["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.StartsWith("2099-01-01", entry["expires"]!.GetValue<string>(), StringComparison.Ordinal);

        Expect(0, "key", "revoke", home, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("no live key", Expect(1, "key", "revoke", home, id.ToString(System.Globalization.CultureInfo.InvariantCulture)).StandardError, StringComparison.Ordinal);
        Assert.Contains("revoked", Expect(0, "key", "list", home).StandardOutput, StringComparison.Ordinal);

        var audit = JsonNode.Parse(Expect(0, "audit", home, "--json").StandardOutput)!.AsArray();
        Assert.Equal(
            ["key.revoke", "key.create", "channel.create", "user.password", "user.add", "user.add", "key.create", "user.add"],
            audit.Select(e => (string?)e!["action"]));
        Assert.Equal($"key {id} of alice", (string?)audit[0]!["subject"]);
        Assert.Equal("demo:member; expires 2099-01-01T00:00:00.0000000Z", (string?)audit[1]!["detail"]);
        Assert.All(audit, e => Assert.Equal($"{Environment.UserName}@{Environment.MachineName}", (string?)e!["origin"]));
        Assert.Equal(["channel.create"], JsonNode.Parse(Expect(0, "audit", home, "--channel", "demo", "--json").StandardOutput)!.AsArray().Skip(1).Select(e => (string?)e!["action"]));

        Assert.Equal("name,version,build,subdir,client,downloads", Expect(0, "usage", home, "--channel", "demo", "--csv").StandardOutput.Trim());
        Assert.Contains("no channel 'nothing'", Expect(1, "usage", home, "--channel", "nothing").StandardError, StringComparison.Ordinal);
        Assert.Contains("YYYY-MM-DD", Expect(1, "usage", home, "--channel", "demo", "--from", "last week").StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Organisations_subscriptions_and_seats_are_administered_at_the_home()
    {
        var home = scratch.Combine("commerce");
        Expect(0, "init", home, "--json");
        foreach (var user in new[] { "olga", "pia", "quin" })
        {
            Expect(0, "user", "add", home, user);
        }

        Expect(0, "org", "create", home, "acme", "--owner", "olga");
        Assert.Contains("exists", Expect(1, "org", "create", home, "acme", "--owner", "pia").StandardError, StringComparison.Ordinal);
        Expect(0, "org", "member", home, "acme", "pia");
        Assert.Contains("no user 'zed'", Expect(1, "org", "member", home, "acme", "zed").StandardError, StringComparison.Ordinal);
        Expect(0, "channel", "create", home, "--name", "pro", "--commercial");
        Assert.Contains("not an ISO 4217", Expect(1, "plan", "set", home, "--channel", "pro", "--name", "team", "--price", "15", "--currency", "dollars").StandardError, StringComparison.Ordinal);
        Expect(0, "plan", "set", home, "--channel", "pro", "--name", "team", "--price", "15");
        Assert.Contains("ends (2026-01-01) before it starts", Expect(1, "subscription", "add", home, "--org", "acme", "--channel", "pro", "--plan", "team", "--seats", "1", "--start", "2026-02-01", "--end", "2026-01-01").StandardError, StringComparison.Ordinal);
        Expect(0, "subscription", "add", home, "--org", "acme", "--channel", "pro", "--plan", "team", "--seats", "1", "--start", "2026-01-01", "--end", "2026-12-31");
        Expect(0, "seat", "assign", home, "1", "pia");
        Assert.Contains("all 1 seats", Expect(1, "seat", "assign", home, "1", "olga").StandardError, StringComparison.Ordinal);
        Assert.Contains("not a member of 'acme'", Expect(1, "seat", "assign", home, "1", "quin").StandardError, StringComparison.Ordinal);
        Assert.Contains("got none", Expect(0, "org", "notices", home, "acme").StandardOutput, StringComparison.Ordinal);

        var listed = JsonNode.Parse(Expect(0, "subscription", "list", home, "--org", "acme", "--json").StandardOutput)!.AsArray().Single()!;
        Assert.Equal((1L, 1L, 15.00m, "(house)"), ((long)listed["seats"]!, (long)listed["seats_assigned"]!, (decimal)listed["seat_price"]!, (string?)listed["vendor"]));
        Assert.Equal(
            ["seat.assign", "subscription.create", "org.member.set", "org.create"],
            JsonNode.Parse(Expect(0, "audit", home, "--org", "acme", "--json").StandardOutput)!.AsArray().Select(e => (string?)e!["action"]));
    }

    public void Dispose() => scratch.Dispose();

    private static KraitResult Run(params string[] arguments) => ServerCommand.Run(arguments);

    private static KraitResult Expect(int exitCode, params string[] arguments) => ServerCommand.Expect(exitCode, arguments);
}
