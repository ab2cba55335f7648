using Krait.Server.Tests.ScaleOut;
using Krait.TestSupport;

namespace Krait.Server.Tests.Oidc;

/// <summary>
/// A real OpenID Connect provider process on a free port of 127.0.0.1: oidc-provider (npm, 8.8.1; installed by
/// .ci/run into artifacts/tools/oidc-provider) running <c>provider.mjs</c>, with one client for Krait Server.
/// </summary>
public sealed class OidcProvider : IDisposable
{
    public const string ClientSecret = "a-client-secret-for-tests";
    private const string Install = "npm install --prefix artifacts/tools/oidc-provider oidc-provider@8.8.1";
    private readonly ServerProcess server;

    /// <param name="port">Its port, chosen before Krait Server starts (whose settings name the issuer).</param>
    /// <param name="redirectUri">Krait Server's callback, registered for the client.</param>
    public OidcProvider(int port, string redirectUri)
    {
        var module = Environment.GetEnvironmentVariable("KRAIT_OIDC_PROVIDER") is { Length: > 0 } configured ? configured
            : Path.Combine(RepoPaths.Root, "artifacts", "tools", "oidc-provider", "node_modules", "oidc-provider");
        if (!File.Exists(Path.Combine(module, "lib", "index.js")))
        {
            throw new InvalidOperationException($"this test needs oidc-provider (an OpenID Connect provider), which is not at {module}: {Install} (.ci/run installs it)");
        }

        var node = RequiredTool.Find("node", "apt-get install nodejs");
        Port = port;
        var script = Path.Combine(RepoPaths.Root, "tests", "Krait.Server.Tests", "Oidc", "provider.mjs");
        server = ServerProcess.Start(node, [script, module, port.ToString(System.Globalization.CultureInfo.InvariantCulture), redirectUri, ClientSecret]);
        server.WaitUntilServing($"{Issuer}/.well-known/openid-configuration", "oidc-provider");
    }

    public int Port { get; }

    public string Issuer => $"http://127.0.0.1:{Port}";

    public void Dispose()
    {
        server.Process.Kill(entireProcessTree: true);
        server.Process.WaitForExit();
        server.Process.Dispose();
    }
}
