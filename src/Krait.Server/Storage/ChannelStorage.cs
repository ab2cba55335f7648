namespace Krait.Server.Storage;

/// <summary>
/// Where the server keeps a channel on disk: each archive once, under <c>channels/CHANNEL/files/SUBDIR/FILE</c>, and
/// the files made from the metadata per label under <c>channels/CHANNEL/index/LABEL/</c> (channeldata.json, and per
/// subdir repodata.json, .zst, shards, run_exports.json). Every name is checked (<see cref="ServerNames"/>, the
/// subdir and file grammars) before it becomes a path, so nothing a request names can reach outside its channel.
/// </summary>
public sealed class ChannelStorage(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string ChannelFolder(string channel) => Path.Combine(Root, "channels", Checked(channel, ServerNames.IsChannel(channel), "channel"));

    public string ArchivePath(string channel, string subdir, string fileName) =>
        Path.Combine(ChannelFolder(channel), "files", CheckedSubdir(subdir), Checked(fileName, Conda.Records.PackageFileName.TryParse(fileName, out _, out _, out _), "package file"));

    public string IndexFolder(string channel, string label) => Path.Combine(ChannelFolder(channel), "index", Checked(label, ServerNames.IsLabel(label), "label"));

    public string IndexSubdirFolder(string channel, string label, string subdir) => Path.Combine(IndexFolder(channel, label), CheckedSubdir(subdir));

    /// <summary>A new empty folder for one upload's temporary files, on the same file system as the archives (so that moving one in is a rename).</summary>
    public string NewTemporaryFolder()
    {
        var folder = Path.Combine(Root, "tmp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string CheckedSubdir(string subdir) => Checked(subdir, Conda.Records.PackageNaming.IsValidSubdir(subdir), "subdir");

    private static string Checked(string name, bool valid, string what) =>
        valid ? name : throw new ArgumentException($"'{name}' is not a valid {what} name");
}
