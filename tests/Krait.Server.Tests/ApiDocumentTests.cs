using System.Text.Json.Nodes;

namespace Krait.Server.Tests;

/// <summary>The API is described by one OpenAPI document at <c>/api/openapi.json</c>: every /api route, nothing else.</summary>
public sealed class ApiDocumentTests
{
    [Fact]
    public async Task Every_api_route_is_in_the_OpenAPI_document()
    {
        await using var server = RunningServer.Start();
        var document = JsonNode.Parse(await server.Client.GetStringAsync("api/openapi.json"))!;
        Assert.StartsWith("3.", (string?)document["openapi"], StringComparison.Ordinal);
        Assert.Equal("Krait Server", (string?)document["info"]!["title"]);
        Assert.Equal(
            [
                "/api/api-keys", "/api/api-keys/{key}", "/api/audit", "/api/channels", "/api/channels/{channel}", "/api/channels/{channel}/actions",
                "/api/channels/{channel}/files", "/api/channels/{channel}/members", "/api/channels/{channel}/packages",
                "/api/channels/{channel}/packages/{name}/downloads", "/api/channels/{channel}/packages/{name}/versions",
                "/api/channels/{channel}/packages/{name}/versions/{subdir}/{filename}", "/api/channels/{channel}/plans", "/api/channels/{channel}/snapshots",
                "/api/channels/{channel}/sources", "/api/channels/{channel}/upload/{filename}", "/api/me", "/api/oidc/callback", "/api/oidc/login", "/api/orgs", "/api/orgs/{org}/audit",
                "/api/orgs/{org}/members", "/api/orgs/{org}/notices", "/api/orgs/{org}/revenue", "/api/orgs/{org}/subscriptions", "/api/revenue",
                "/api/sign-in", "/api/subscriptions", "/api/subscriptions/{id}", "/api/subscriptions/{id}/seats", "/api/v1/upload/{channel}",
            ],
            document["paths"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.NotNull(document["paths"]!["/api/channels/{channel}/members"]!["delete"]);
        Assert.NotNull(document["paths"]!["/api/subscriptions/{id}"]!["patch"]);
        Assert.Contains(
            document["paths"]!["/api/channels/{channel}/packages/{name}/downloads"]!["get"]!["parameters"]!.AsArray(),
            p => (string?)p!["name"] == "period" && (string?)p["in"] == "query");
    }
}
