using System.Buffers;
using System.Security.Cryptography;
using Krait.Conda.Records;
using Krait.Index;
using Krait.Packages;
using Krait.Server.Access;
using Krait.Server.Http;
using Krait.Server.Metadata;
using Krait.Server.Publishing;
using Krait.Server.Storage;

namespace Krait.Server.Uploads;

/// <summary>What an accepted upload became.</summary>
public sealed record UploadedFile(string Channel, string Subdir, string Filename, string Label, string Sha256, long Size);

/// <summary>
/// The trust boundary: an upload is streamed to a temporary file with its sha256 computed on the way (and compared
/// with the one the client claims: 406), unpacked with every check an install makes (400 for a hostile or damaged
/// archive), its <c>info/index.json</c> must name the file's package and a subdir; only then is it moved into the
/// channel (409 if the file is there, unless forced), recorded, and the subdir's index published. A refused upload
/// leaves nothing behind.
/// </summary>
public sealed class UploadService(MetadataStore store, ChannelStorage storage, ChannelPublisher publisher, ServerMetrics metrics, long maxUploadBytes)
{
    public async Task<UploadedFile> AcceptAsync(Caller caller, string channelName, string fileName, Stream body, string? expectedSha256, bool force, string label, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(body);
        var accepted = false;
        try
        {
            var uploaded = await AcceptCheckedAsync(caller, channelName, fileName, body, expectedSha256, force, label, cancellation).ConfigureAwait(false);
            accepted = true;
            return uploaded;
        }
        finally
        {
            metrics.RecordUpload(accepted);
        }
    }

    private async Task<UploadedFile> AcceptCheckedAsync(Caller caller, string channelName, string fileName, Stream body, string? expectedSha256, bool force, string label, CancellationToken cancellation)
    {
        if (!PackageFileName.TryParse(fileName, out var packageName, out _, out _))
        {
            throw ApiException.BadRequest($"'{fileName}' is not a conda package file name (NAME-VERSION-BUILD.conda or .tar.bz2)");
        }

        var channel = WritableChannel(caller, channelName, packageName);

        if (!ServerNames.IsLabel(label))
        {
            throw ApiException.BadRequest($"'{label}' is not a label name");
        }

        if (expectedSha256 is not null && (expectedSha256.Length != 64 || !expectedSha256.All(char.IsAsciiHexDigit)))
        {
            throw ApiException.BadRequest("sha256 must be 64 hex digits");
        }

        var temporary = storage.NewTemporaryFolder();
        try
        {
            var archive = Path.Combine(temporary, fileName);
            var (sha256, size) = await ReceiveAsync(body, archive, cancellation).ConfigureAwait(false);
            if (expectedSha256 is not null && !string.Equals(expectedSha256, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ApiException(406, $"the upload's sha256 is {sha256}, not the {expectedSha256} the request gave: the file was damaged on the way; send it again");
            }

            IndexedPackage package;
            try
            {
                package = ArchiveAdmission.Check(archive, temporary, subdir: null);
            }
            catch (HostileArchiveException e)
            {
                throw ApiException.BadRequest(e.Message);
            }

            var subdir = SubdirOf(package, fileName);
            var previousLabel = await CommitAsync(channel.Name, subdir, archive, sha256, package, package.Record, label, caller.User?.Name, force, cancellation).ConfigureAwait(false);
            var touched = new HashSet<string>(StringComparer.Ordinal) { package.Name };
            await publisher.PublishAsync(channel.Name, label, subdir, touched, cancellation).ConfigureAwait(false);
            if (previousLabel is not null && previousLabel != label)
            {
                await publisher.PublishAsync(channel.Name, previousLabel, subdir, touched, cancellation).ConfigureAwait(false);
            }

            return new UploadedFile(channel.Name, subdir, fileName, label, sha256, size);
        }
        finally
        {
            Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>
    /// Records a checked archive (with <paramref name="record"/> as its repodata record) and moves it into the channel,
    /// unless the file is there and <paramref name="replace"/> is false (409; also when another instance recorded it a
    /// moment ago: the database decides); returns the label the file had before, if any. The row comes first, so that
    /// two uploads of one name never leave one's row beside the other's archive; if the archive cannot be stored, the
    /// row is taken out again. The caller publishes the subdir.
    /// </summary>
    public async Task<string?> CommitAsync(string channel, string subdir, string archive, string sha256, IndexedPackage package, byte[] record, string label, string? uploader, bool replace, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(package);
        var fileName = Path.GetFileName(archive);
        var (stored, previousLabel) = store.PutFile(
            new PackageFileRow
            {
                Channel = channel,
                Subdir = subdir,
                Filename = fileName,
                Label = label,
                Name = package.Name,
                Version = package.Version,
                Sha256 = sha256,
                Size = package.Size,
                Timestamp = package.Timestamp,
                Record = record,
                About = package.About,
                RunExports = package.RunExports,
                PostInstall = (long)package.PostInstall,
                Uploader = uploader,
                Uploaded = MetadataStore.Now(),
            },
            replace);
        if (!stored)
        {
            throw new ApiException(409, $"{channel}/{subdir}/{fileName} exists; upload with force to replace it");
        }

        try
        {
            await storage.PlaceArchiveAsync(archive, channel, subdir, fileName, cancellation).ConfigureAwait(false);
        }
        catch
        {
            store.DeleteFile(channel, subdir, fileName);
            throw;
        }

        return previousLabel;
    }

    /// <summary>Takes a file out of the channel and publishes its subdir again.</summary>
    public async Task DeleteAsync(Caller caller, string channelName, string subdir, string fileName, CancellationToken cancellation)
    {
        var name = PackageFileName.TryParse(fileName, out var parsed, out _, out _) ? parsed : null;
        var channel = WritableChannel(caller, channelName, name);
        if (!PackageNaming.IsValidSubdir(subdir) || name is null || store.File(channel.Name, subdir, fileName) is not { } row)
        {
            throw ApiException.NotFound($"{channelName}/{subdir}/{fileName} does not exist");
        }

        store.DeleteFile(channel.Name, subdir, fileName);
        await storage.DeleteArchiveAsync(channel.Name, subdir, fileName, cancellation).ConfigureAwait(false);
        await publisher.PublishAsync(channel.Name, row.Label, subdir, new HashSet<string>(StringComparer.Ordinal) { name }, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// The channel, if the caller may change <paramref name="package"/> in it (null: the whole channel;
    /// <see cref="AnyPackage"/>: some package, checked again per file): 404 if they may not even know it exists, 401 if
    /// anonymous, 403 otherwise; a mirror or proxy takes no uploads (400) unless <paramref name="allowMirror"/>.
    /// </summary>
    public ChannelRow WritableChannel(Caller caller, string channelName, string? package, bool allowMirror = false)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!ServerNames.IsChannel(channelName) || store.Channel(channelName) is not { } channel
            || !AccessRules.CanSee(caller, channel, package, anyPackage: package == AnyPackage))
        {
            throw ApiException.NotFound($"there is no channel '{channelName}'");
        }

        if (!(package == AnyPackage ? AccessRules.CanWriteSome(caller, channel) : AccessRules.CanWrite(caller, channel, package)))
        {
            throw caller.IsAuthenticated
                ? new ApiException(403, $"you may not change {(package is null or AnyPackage ? "the channel" : $"the package '{package}' in the channel")} '{channelName}': ask its owner for the maintainer role")
                : new ApiException(401, $"changing the channel '{channelName}' needs an API key (X-API-Key or Authorization: Bearer)");
        }

        if (!allowMirror && channel.Mirror is { } mirror)
        {
            throw ApiException.BadRequest($"'{channelName}' is a {mirror.ModeText} of {mirror.Url}: its packages come from there, not from uploads");
        }

        return channel;
    }

    /// <summary>For <see cref="WritableChannel"/>: the caller must be able to change some package (a multipart upload, before its files are read).</summary>
    public const string AnyPackage = "\0any";

    /// <summary>Copies the body to <paramref name="path"/>, hashing it and stopping at the size limit (413).</summary>
    private async Task<(string Sha256, long Size)> ReceiveAsync(Stream body, string path, CancellationToken cancellation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
        long size = 0;
        try
        {
            await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
            for (int read; (read = await body.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0;)
            {
                size += read;
                if (size > maxUploadBytes)
                {
                    throw new ApiException(413, $"the package is larger than this server accepts ({maxUploadBytes} bytes; max_upload_bytes in server.json)");
                }

                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (size == 0)
        {
            throw ApiException.BadRequest("the upload is empty: send the package file as the request body");
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static string SubdirOf(IndexedPackage package, string fileName)
    {
        using var document = System.Text.Json.JsonDocument.Parse(package.Record);
        return document.RootElement.TryGetProperty("subdir", out var subdir) && subdir.GetString() is { } named && PackageNaming.IsValidSubdir(named)
            ? named
            : throw ApiException.BadRequest($"{fileName}'s info/index.json names no subdir");
    }
}
