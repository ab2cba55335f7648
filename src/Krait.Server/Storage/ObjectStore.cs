using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Krait.Server.Storage;

/// <summary>What the store knows of one object.</summary>
public sealed record StoredObject(string Key, long Length, DateTime Modified, string ETag);

/// <summary>
/// Package archives and published index files in an S3-compatible bucket, shared by every server instance. Objects
/// are written whole (a PUT replaces an object atomically: readers get the old bytes or the new), read whole or by
/// range, listed, "touched" (copied onto themselves, which renews their time, as superseded shards need), and handed
/// to clients as presigned URLs so that large files go from the store to the client directly.
/// </summary>
public sealed class ObjectStore : IDisposable
{
    private readonly AmazonS3Client client;
    private readonly ObjectStoreLocation location;

    public ObjectStore(ObjectStoreLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        this.location = location;
        var config = new AmazonS3Config
        {
            ForcePathStyle = location.PathStyle,
            AuthenticationRegion = location.Region,

            // Only what S3 itself requires: the newer default (CRC trailers on every PUT) is not understood by every S3-compatible server.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (location.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(location.Region);
        }

        client = new AmazonS3Client(new BasicAWSCredentials(location.AccessKeyId, location.SecretAccessKey), config);
    }

    public string Description => location.ToString();

    /// <summary>Fails with a clear message when the bucket cannot be reached or does not exist.</summary>
    public async Task CheckAsync(CancellationToken cancellation)
    {
        try
        {
            await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Prefix, MaxKeys = 1 }, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw new IOException($"the object store {Description} cannot be used: {e.Message}", e);
        }
    }

    /// <summary>Stores <paramref name="file"/> as <paramref name="key"/>, replacing what was there.</summary>
    public async Task PutAsync(string key, string file, CancellationToken cancellation)
    {
        await client.PutObjectAsync(
            new PutObjectRequest { BucketName = location.Bucket, Key = location.Prefix + key, FilePath = file, UseChunkEncoding = false },
            cancellation).ConfigureAwait(false);
    }

    public async Task<StoredObject?> StatAsync(string key, CancellationToken cancellation)
    {
        try
        {
            var head = await client.GetObjectMetadataAsync(location.Bucket, location.Prefix + key, cancellation).ConfigureAwait(false);
            return new StoredObject(key, head.ContentLength, head.LastModified ?? DateTime.UnixEpoch, head.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The object's bytes (all, or <paramref name="length"/> from <paramref name="offset"/>), or null when it does not exist.</summary>
    public async Task<GetObjectResponse?> OpenAsync(string key, CancellationToken cancellation, long offset = 0, long? length = null)
    {
        var request = new GetObjectRequest { BucketName = location.Bucket, Key = location.Prefix + key };
        if (offset > 0 || length is not null)
        {
            request.ByteRange = new ByteRange(offset, length is { } count ? offset + count - 1 : long.MaxValue - 1);
        }

        try
        {
            return await client.GetObjectAsync(request, cancellation).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The whole object, or null when it does not exist.</summary>
    public async Task<byte[]?> ReadAllAsync(string key, CancellationToken cancellation)
    {
        using var response = await OpenAsync(key, cancellation).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, cancellation).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public async Task DeleteAsync(string key, CancellationToken cancellation) =>
        await client.DeleteObjectAsync(location.Bucket, location.Prefix + key, cancellation).ConfigureAwait(false);

    /// <summary>The objects whose keys start with <paramref name="prefix"/> (keys given without the store's own prefix).</summary>
    public async Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellation)
    {
        var found = new List<StoredObject>();
        var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Prefix + prefix };
        while (true)
        {
            var page = await client.ListObjectsV2Async(request, cancellation).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                found.Add(new StoredObject(item.Key[location.Prefix.Length..], item.Size ?? 0, item.LastModified ?? DateTime.UnixEpoch, item.ETag));
            }

            if (page.IsTruncated != true || page.NextContinuationToken is null)
            {
                return found;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>Deletes every object under <paramref name="prefix"/> (a deleted channel).</summary>
    public async Task DeleteTreeAsync(string prefix, CancellationToken cancellation)
    {
        foreach (var item in await ListAsync(prefix, cancellation).ConfigureAwait(false))
        {
            await DeleteAsync(item.Key, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Copies an object within the bucket, in the store (nothing passes through the server).</summary>
    public Task CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellation) => CopyAsync(sourceKey, destinationKey, S3MetadataDirective.COPY, cancellation);

    /// <summary>Renews the object's time by copying it onto itself (S3 has no other way).</summary>
    public async Task TouchAsync(string key, CancellationToken cancellation)
    {
        try
        {
            // Onto itself S3 copies only when something changes: the metadata is "replaced" (by the same).
            await CopyAsync(key, key, S3MetadataDirective.REPLACE, cancellation).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: nothing to keep.
        }
    }

    private async Task CopyAsync(string sourceKey, string destinationKey, S3MetadataDirective metadata, CancellationToken cancellation) =>
        await client.CopyObjectAsync(
            new CopyObjectRequest
            {
                SourceBucket = location.Bucket,
                SourceKey = location.Prefix + sourceKey,
                DestinationBucket = location.Bucket,
                DestinationKey = location.Prefix + destinationKey,
                MetadataDirective = metadata,
            },
            cancellation).ConfigureAwait(false);

    /// <summary>A URL that lets its holder <paramref name="method"/> (GET or HEAD) the object for <paramref name="lifetime"/>, without keys.</summary>
    /// <remarks>Signing is computed here, with no request to the store (the credentials are fixed keys).</remarks>
    public string PresignedUrl(string key, string method, TimeSpan lifetime) =>
        client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = location.Bucket,
            Key = location.Prefix + key,
            Verb = HttpMethods.IsHead(method) ? HttpVerb.HEAD : HttpVerb.GET,
            Expires = DateTime.UtcNow + lifetime,
            Protocol = location.Endpoint is { } endpoint && endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTP : Protocol.HTTPS,
        });

    public void Dispose() => client.Dispose();
}
