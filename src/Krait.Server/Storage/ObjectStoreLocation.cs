namespace Krait.Server.Storage;

/// <summary>
/// An S3-compatible bucket, from the <c>storage</c> setting (or <c>KRAIT_SERVER_STORAGE</c>):
/// <c>s3://BUCKET[/PREFIX]?endpoint=URL&amp;region=R&amp;access_key_id=…&amp;secret_access_key=…</c>. The keys may
/// instead come from <c>AWS_ACCESS_KEY_ID</c> and <c>AWS_SECRET_ACCESS_KEY</c>; without an endpoint it is AWS's own
/// for the region. Buckets are addressed by path (what MinIO, Ceph and s3rver expect) unless <c>path_style=false</c>.
/// </summary>
public sealed record ObjectStoreLocation(string Bucket, string Prefix, string? Endpoint, string Region, string AccessKeyId, string SecretAccessKey, bool PathStyle)
{
    public static bool IsObjectStore(string setting) => setting.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    public static ObjectStoreLocation Parse(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (!Uri.TryCreate(setting, UriKind.Absolute, out var url) || url.Scheme != "s3" || url.Host.Length == 0)
        {
            throw new ArgumentException("it is not an s3://BUCKET[/PREFIX]?endpoint=… URL");
        }

        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            query[Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals])] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
        }

        var known = new HashSet<string>(StringComparer.Ordinal) { "endpoint", "region", "access_key_id", "secret_access_key", "path_style" };
        if (query.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"the storage URL has an unknown setting '{unknown}'; known: {string.Join(", ", known)}");
        }

        var accessKey = query.GetValueOrDefault("access_key_id") ?? Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secretKey = query.GetValueOrDefault("secret_access_key") ?? Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            throw new ArgumentException("the object store needs keys: access_key_id and secret_access_key in the storage URL, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }

        var endpoint = query.GetValueOrDefault("endpoint");
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUrl) || endpointUrl.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"the object store endpoint '{endpoint}' is not an http(s) URL");
        }

        var prefix = Uri.UnescapeDataString(url.AbsolutePath).Trim('/');
        return new ObjectStoreLocation(
            url.Host,
            prefix.Length == 0 ? string.Empty : prefix + "/",
            endpoint,
            query.GetValueOrDefault("region") ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
            accessKey,
            secretKey,
            query.GetValueOrDefault("path_style") != "false");
    }

    /// <summary>Where the bucket is, for messages: no keys.</summary>
    public override string ToString() => $"s3://{Bucket}/{Prefix} at {Endpoint ?? $"AWS {Region}"}";
}
