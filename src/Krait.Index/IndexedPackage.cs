namespace Krait.Index;

/// <summary>
/// One package archive as the index knows it: its file's size and modification time (what says it changed), its
/// repodata record (compact JSON, keys sorted: <c>info/index.json</c> without the fields conda-index drops, plus
/// <c>md5</c>, <c>sha256</c> and <c>size</c>), and what <c>channeldata.json</c> and <c>run_exports.json</c> take from
/// it: <c>info/about.json</c>, <c>info/run_exports.json</c> and <see cref="PostInstall"/>.
/// </summary>
public sealed record IndexedPackage(
    string FileName,
    long Size,
    long ModifiedTicks,
    string Name,
    string Version,
    long Timestamp,
    byte[] Record,
    byte[]? About,
    byte[]? RunExports,
    PostInstall PostInstall)
{
    /// <summary>Whether the file on disk is still the one indexed (conda-index's test: size and mtime).</summary>
    public bool Matches(long size, long modifiedTicks) => Size == size && ModifiedTicks == modifiedTicks;
}
