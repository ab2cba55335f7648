using Krait.Index;

namespace Krait.Server.Storage;

/// <summary>
/// Where the server keeps its channels: each archive once, under <c>channels/CHANNEL/files/SUBDIR/FILE</c>, and the
/// files made from the metadata per label under <c>channels/CHANNEL/index/LABEL/</c> (channeldata.json, and per subdir
/// repodata.json, .zst, shards, run_exports.json). Either a folder (the default: <see cref="Root"/> is the storage and
/// files are written in place) or an S3-compatible object store shared by several instances (<see cref="Objects"/>;
/// <see cref="Root"/> is then this instance's work folder, where files are made before they are stored). This class
/// is the one place that knows which: everything else works with the local paths it gives. Every name is checked
/// (<see cref="ServerNames"/>, the subdir and file grammars) before it becomes a path or key, so nothing a request
/// names can reach outside its channel.
/// </summary>
public sealed class ChannelStorage(string root, ObjectStore? objects = null) : IDisposable
{
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The shared object store, or null when the storage is the folder <see cref="Root"/>.</summary>
    public ObjectStore? Objects { get; } = objects;

    public string Description => Objects?.Description ?? Root;

    public string ChannelFolder(string channel) => Path.Combine(Root, "channels", Checked(channel, ServerNames.IsChannel(channel), "channel"));

    public string ArchivePath(string channel, string subdir, string fileName) =>
        Path.Combine(ChannelFolder(channel), "files", CheckedSubdir(subdir), Checked(fileName, Conda.Records.PackageFileName.TryParse(fileName, out _, out _, out _), "package file"));

    public string IndexFolder(string channel, string label) => Path.Combine(ChannelFolder(channel), "index", Checked(label, ServerNames.IsLabel(label), "label"));

    public string IndexSubdirFolder(string channel, string label, string subdir) => Path.Combine(IndexFolder(channel, label), CheckedSubdir(subdir));

    /// <summary>The object key of a path under <see cref="Root"/>: the same relative path, with forward slashes.</summary>
    public string KeyOf(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>A new empty folder for one upload's temporary files, on the same file system as the archives (so that moving one in is a rename).</summary>
    public string NewTemporaryFolder()
    {
        var folder = Path.Combine(Root, "tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Makes files just written under <see cref="Root"/> visible: in an object store, stores each (and drops the local copy); in a folder they already are.</summary>
    public async Task PublishAsync(IEnumerable<string> paths, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (Objects is null)
        {
            return;
        }

        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            await Objects.PutAsync(KeyOf(path), path, cancellation).ConfigureAwait(false);
            File.Delete(path);
        }
    }

    /// <summary>Whether a published file exists (by its path under <see cref="Root"/>).</summary>
    public async Task<bool> ExistsAsync(string path, CancellationToken cancellation) =>
        Objects is null ? File.Exists(path) : await Objects.StatAsync(KeyOf(path), cancellation).ConfigureAwait(false) is not null;

    /// <summary>A published file's bytes, or null when there is none.</summary>
    public async Task<byte[]?> ReadAsync(string path, CancellationToken cancellation)
    {
        if (Objects is not null)
        {
            return await Objects.ReadAllAsync(KeyOf(path), cancellation).ConfigureAwait(false);
        }

        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellation).ConfigureAwait(false) : null;
    }

    /// <summary>Moves a checked archive (a local file) into the channel, replacing one of the same name.</summary>
    public async Task PlaceArchiveAsync(string file, string channel, string subdir, string fileName, CancellationToken cancellation)
    {
        var destination = ArchivePath(channel, subdir, fileName);
        if (Objects is not null)
        {
            await Objects.PutAsync(KeyOf(destination), file, cancellation).ConfigureAwait(false);
            File.Delete(file);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Move(file, destination, overwrite: true);
    }

    /// <summary>Copies a stored archive into another channel (a snapshot): in the bucket, or in the folder through a temporary name (no half-copied archive is ever served).</summary>
    public async Task CopyArchiveAsync(string fromChannel, string subdir, string fileName, string toChannel, CancellationToken cancellation)
    {
        var source = ArchivePath(fromChannel, subdir, fileName);
        var destination = ArchivePath(toChannel, subdir, fileName);
        if (Objects is not null)
        {
            await Objects.CopyAsync(KeyOf(source), KeyOf(destination), cancellation).ConfigureAwait(false);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temporary = destination + ".snapshot-" + Guid.NewGuid().ToString("N");
        File.Copy(source, temporary, overwrite: true);
        File.Move(temporary, destination, overwrite: true);
    }

    public async Task DeleteArchiveAsync(string channel, string subdir, string fileName, CancellationToken cancellation)
    {
        var path = ArchivePath(channel, subdir, fileName);
        if (Objects is not null)
        {
            await Objects.DeleteAsync(KeyOf(path), cancellation).ConfigureAwait(false);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>Everything stored of a channel, gone.</summary>
    public async Task DeleteChannelAsync(string channel, CancellationToken cancellation)
    {
        var folder = ChannelFolder(channel);
        if (Objects is not null)
        {
            await Objects.DeleteTreeAsync(KeyOf(folder) + "/", cancellation).ConfigureAwait(false);
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Starts the week of shards an index of <paramref name="folder"/> no longer names (<see cref="ShardFiles.Supersede"/>).</summary>
    public async Task SupersedeShardsAsync(string folder, IEnumerable<byte[]> superseded, CancellationToken cancellation)
    {
        if (Objects is null)
        {
            ShardFiles.Supersede(folder, superseded);
            return;
        }

        foreach (var hash in superseded)
        {
            await Objects.TouchAsync(KeyOf(ShardFiles.PathOf(folder, hash)), cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the shards of <paramref name="folder"/> no index has named for <paramref name="lifetime"/> (<see cref="ShardFiles.Retire"/>).</summary>
    public async Task RetireShardsAsync(string folder, IReadOnlyCollection<byte[]> previous, IReadOnlyCollection<byte[]> live, TimeSpan lifetime, CancellationToken cancellation)
    {
        if (Objects is null)
        {
            ShardFiles.Retire(folder, previous, live, lifetime);
            return;
        }

        var liveNames = new HashSet<string>(live.Select(ShardFiles.FileName), StringComparer.Ordinal);
        await SupersedeShardsAsync(folder, previous.Where(h => !liveNames.Contains(ShardFiles.FileName(h))), cancellation).ConfigureAwait(false);
        var prefix = KeyOf(folder) + "/";
        var present = (await Objects.ListAsync(prefix, cancellation).ConfigureAwait(false))
            .Where(o => !o.Key[prefix.Length..].Contains('/', StringComparison.Ordinal))
            .Select(o => (o.Key[prefix.Length..], o.Modified));
        foreach (var stale in ShardFiles.Stale(present, live, DateTime.UtcNow - lifetime).ToList())
        {
            await Objects.DeleteAsync(prefix + stale, cancellation).ConfigureAwait(false);
        }
    }

    public void Dispose() => Objects?.Dispose();

    private static string CheckedSubdir(string subdir) => Checked(subdir, Conda.Records.PackageNaming.IsValidSubdir(subdir), "subdir");

    private static string Checked(string name, bool valid, string what) =>
        valid ? name : throw new ArgumentException($"'{name}' is not a valid {what} name");
}
