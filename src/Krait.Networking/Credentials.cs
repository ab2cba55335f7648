using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Krait.Networking;

/// <summary>What to send a host: a bearer token, or a user name and password (HTTP basic auth).</summary>
public sealed record Credential(string? Token, string? User, string? Password)
{
    public AuthenticationHeaderValue Header => Token is not null
        ? new AuthenticationHeaderValue("Bearer", Token)
        : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));

    public string Kind => Token is not null ? "token" : "user and password";
}

/// <summary>
/// Credentials per host: those stored by <c>krait auth login</c> in a file only the user may read
/// (<c>~/.krait/auth.json</c>, or <c>KRAIT_AUTH_FILE</c>), else the machine's entry in <c>~/.netrc</c> (or
/// <c>NETRC</c>). Secrets are never printed: <see cref="Hosts"/> tells only which hosts have which kind.
/// </summary>
public sealed class CredentialStore(string file, string? netrc = null)
{
    public string File { get; } = file;

    public Credential? For(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Stored().GetValueOrDefault(host) ?? Netrc(host);
    }

    public IReadOnlyList<(string Host, string Kind)> Hosts() => [.. Stored().OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => (h.Key, h.Value.Kind))];

    public void Save(string host, Credential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var all = Stored();
        all[host] = credential;
        Write(all);
    }

    public bool Remove(string host)
    {
        var all = Stored();
        if (!all.Remove(host))
        {
            return false;
        }

        Write(all);
        return true;
    }

    private Dictionary<string, Credential> Stored()
    {
        var result = new Dictionary<string, Credential>(StringComparer.OrdinalIgnoreCase);
        if (!System.IO.File.Exists(File))
        {
            return result;
        }

        try
        {
            using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(File));
            if (document.RootElement.TryGetProperty("hosts", out var hosts) && hosts.ValueKind == JsonValueKind.Object)
            {
                foreach (var host in hosts.EnumerateObject())
                {
                    string? Text(string key) => host.Value.ValueKind == JsonValueKind.Object && host.Value.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                    if (Text("token") is { } token)
                    {
                        result[host.Name] = new Credential(token, null, null);
                    }
                    else if (Text("user") is { } user)
                    {
                        result[host.Name] = new Credential(null, user, Text("password") ?? string.Empty);
                    }
                }
            }
        }
        catch (JsonException e)
        {
            throw new RemoteChannelException($"{File} is damaged ({e.Message})", "log in again with krait auth login, or remove the file");
        }

        return result;
    }

    private void Write(Dictionary<string, Credential> all)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(File))!);
        var partial = $"{File}.partial-{Guid.NewGuid():N}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Readable by the user alone from the first byte on, not chmod-ed after the secret is written.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(partial, options))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("hosts");
            foreach (var (host, credential) in all.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(host);
                if (credential.Token is { } token)
                {
                    writer.WriteString("token", token);
                }
                else
                {
                    writer.WriteString("user", credential.User);
                    writer.WriteString("password", credential.Password);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        System.IO.File.Move(partial, File, overwrite: true);
    }

    /// <summary>The <c>machine HOST login USER password PASS</c> entry (or <c>default</c>) of a .netrc file.</summary>
    private Credential? Netrc(string host)
    {
        if (netrc is null || !System.IO.File.Exists(netrc))
        {
            return null;
        }

        var words = System.IO.File.ReadAllText(netrc).Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        Credential? fallback = null;
        for (var i = 0; i < words.Length; i++)
        {
            var matches = words[i] == "machine" && i + 1 < words.Length && string.Equals(words[i + 1], host, StringComparison.OrdinalIgnoreCase);
            var isDefault = words[i] == "default";
            if (!matches && !isDefault)
            {
                continue;
            }

            string? user = null, password = null;
            for (var j = i + (matches ? 2 : 1); j + 1 < words.Length && words[j] is not ("machine" or "default"); j += 2)
            {
                switch (words[j])
                {
                    case "login":
                        user = words[j + 1];
                        break;
                    case "password":
                        password = words[j + 1];
                        break;
                }
            }

            var credential = user is null ? null : new Credential(null, user, password ?? string.Empty);
            if (matches)
            {
                return credential;
            }

            fallback ??= credential;
        }

        return fallback;
    }
}

/// <summary>Adds the stored credential of a request's host, unless the request (a token in its URL) already carries one.</summary>
public sealed class AuthenticatingHandler(CredentialStore store, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorize(request);
        return base.Send(request, cancellationToken);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authorize(request);
        return base.SendAsync(request, cancellationToken);
    }

    private void Authorize(HttpRequestMessage request)
    {
        // https://user:password@host/… (conda's URL form of basic auth): the header carries it, the URL no longer does.
        if (request.RequestUri is { UserInfo.Length: > 0 } withUser)
        {
            var parts = Uri.UnescapeDataString(withUser.UserInfo).Split(':', 2);
            request.Headers.Authorization = new Credential(null, parts[0], parts.Length > 1 ? parts[1] : string.Empty).Header;
            request.RequestUri = new UriBuilder(withUser) { UserName = string.Empty, Password = string.Empty }.Uri;
        }

        if (request.Headers.Authorization is null && request.RequestUri is { } uri && !uri.AbsolutePath.StartsWith("/t/", StringComparison.Ordinal)
            && (store.For($"{uri.Host}:{uri.Port}") ?? store.For(uri.Host)) is { } credential)
        {
            request.Headers.Authorization = credential.Header;
        }
    }
}
