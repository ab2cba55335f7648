using System.Text.Json;

namespace Krait.Server.Commerce;

/// <summary>
/// The upstream project a package comes from, read from its about.json: <c>dev_url</c>, else <c>home</c>. On a code
/// forge (GitHub, GitLab, Bitbucket, Codeberg) the project is the owner/repository (<c>github.com/numpy/numpy</c>,
/// whatever the case, scheme, <c>www.</c>, <c>.git</c> or deeper path); elsewhere it is the host and path
/// (<c>numpy.org</c>). A forge URL wins over a plain one, whichever field holds it.
/// </summary>
public static class UpstreamProjects
{
    private static readonly string[] Forges = ["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"];

    public static string? FromAbout(ReadOnlySpan<byte> aboutJson)
    {
        try
        {
            using var document = JsonDocument.Parse(aboutJson.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var candidates = new List<string>();
            foreach (var field in new[] { "dev_url", "home" })
            {
                if (document.RootElement.TryGetProperty(field, out var value))
                {
                    if (value.ValueKind == JsonValueKind.String)
                    {
                        candidates.Add(value.GetString()!);
                    }
                    else if (value.ValueKind == JsonValueKind.Array)
                    {
                        candidates.AddRange(value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
                    }
                }
            }

            var normalised = candidates.Select(Normalise).Where(p => p is not null).ToList();
            return normalised.FirstOrDefault(p => Forges.Any(f => p!.StartsWith(f + "/", StringComparison.Ordinal))) ?? normalised.FirstOrDefault();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A URL as a project name, or null when it is no web address.</summary>
    public static string? Normalise(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim().ToLowerInvariant();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
        }

        text = text.Split('?', '#')[0];
        if (text.StartsWith("www.", StringComparison.Ordinal))
        {
            text = text[4..];
        }

        var parts = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts[0].Contains('.', StringComparison.Ordinal) || parts[0].Any(char.IsWhiteSpace))
        {
            return null;
        }

        if (Forges.Contains(parts[0]) && parts.Length >= 3)
        {
            var repository = parts[2].EndsWith(".git", StringComparison.Ordinal) ? parts[2][..^4] : parts[2];
            return $"{parts[0]}/{parts[1]}/{repository}";
        }

        var joined = string.Join('/', parts);
        return joined.EndsWith(".git", StringComparison.Ordinal) ? joined[..^4] : joined;
    }
}
