using System.CommandLine;
using Krait.Cli.Output;
using Krait.Cli.Remote;
using Krait.Configuration;
using Krait.Networking;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait auth login HOST (--token TOKEN | --username USER --password PASSWORD)</c>, <c>krait auth logout HOST</c>,
/// <c>krait auth list</c>: credentials for private channels, sent to their host on every request (a bearer token,
/// or HTTP basic auth) and kept in a file only the user can read. <c>-</c> as the token or password reads it from
/// standard input, so that it stays out of the shell's history. Secrets are never printed.
/// </summary>
public static class AuthCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("host") { Description = "the channel server, e.g. repo.example.com or 127.0.0.1:8080" };
        var token = new Option<string?>("--token") { Description = "a bearer token ('-' reads it from standard input)" };
        var user = new Option<string?>("--username") { Description = "user name for HTTP basic auth" };
        var password = new Option<string?>("--password") { Description = "password for HTTP basic auth ('-' reads it from standard input)" };
        var login = new Command("login", "Store credentials for a channel server.") { host, token, user, password };
        login.SetAction(parse => CommandRunner.Run(json: false, () => Login(parse.GetValue(host)!, parse.GetValue(token), parse.GetValue(user), parse.GetValue(password))));

        var logoutHost = new Argument<string>("host") { Description = "the channel server" };
        var logout = new Command("logout", "Forget the credentials of a channel server.") { logoutHost };
        logout.SetAction(parse => CommandRunner.Run(json: false, () =>
        {
            var removed = Store().Remove(parse.GetValue(logoutHost)!);
            Console.WriteLine(removed ? $"Logged out of {parse.GetValue(logoutHost)}" : $"No credentials stored for {parse.GetValue(logoutHost)}");
            return 0;
        }));

        var list = new Command("list", "The hosts with stored credentials (never the secrets).");
        list.SetAction(_ => CommandRunner.Run(json: false, () =>
        {
            foreach (var (name, kind) in Store().Hosts())
            {
                Console.WriteLine($"{name}  ({kind})");
            }

            return 0;
        }));

        return new Command("auth", "Credentials for private channels.") { login, logout, list };
    }

    private static CredentialStore Store() => RemoteAccess.Credentials(KraitLocations.Resolve(CondaConfig.Load()));

    private static int Login(string host, string? token, string? user, string? password)
    {
        if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal) || host.Contains(' ', StringComparison.Ordinal))
        {
            throw new KraitException("ArgumentError", $"'{host}' is not a host name", "give the server alone, e.g. repo.example.com or 127.0.0.1:8080 (no scheme or path)");
        }

        Credential credential;
        if (token is not null && user is null && password is null)
        {
            credential = new Credential(FromStandardInput(token, "token"), null, null);
        }
        else if (token is null && user is not null)
        {
            credential = new Credential(null, user, FromStandardInput(password ?? throw new KraitException("ArgumentError", "--username needs --password"), "password"));
        }
        else
        {
            throw new KraitException("ArgumentError", "give either --token TOKEN, or --username USER with --password PASSWORD");
        }

        var store = Store();
        store.Save(host, credential);
        Console.WriteLine($"Stored a {credential.Kind} for {host} in {store.File}");
        return 0;
    }

    private static string FromStandardInput(string value, string what)
    {
        if (value != "-")
        {
            return value;
        }

        var line = Console.In.ReadLine()?.Trim();
        return string.IsNullOrEmpty(line) ? throw new KraitException("ArgumentError", $"no {what} on standard input") : line;
    }
}
