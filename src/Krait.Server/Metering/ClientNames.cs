namespace Krait.Server.Metering;

/// <summary>The client a download came from, by its User-Agent: conda, mamba (micromamba and mamba), pixi (and rattler), krait, else other.</summary>
public static class ClientNames
{
    public static string FromUserAgent(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return "other";
        }

        // Order matters: conda's own agent names the solver (conda/24 … libmamba/…), and pixi's names rattler.
        if (userAgent.StartsWith("conda/", StringComparison.OrdinalIgnoreCase))
        {
            return "conda";
        }

        foreach (var (marker, name) in new[] { ("micromamba", "mamba"), ("mamba/", "mamba"), ("pixi", "pixi"), ("rattler", "pixi"), ("krait", "krait") })
        {
            if (userAgent.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }

        return "other";
    }
}
