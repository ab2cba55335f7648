namespace Krait.Index;

/// <summary>An archive left out of the index, and why (damaged, hostile, or not what its name says).</summary>
public sealed record SkippedArchive(string Subdir, string FileName, string Reason);

/// <summary>What one subdir's indexing did.</summary>
public sealed record SubdirReport(string Subdir, int Records, int Read, int Reused, int Removed, int ShardsWritten, bool Patched);

/// <summary>What indexing a channel did: per subdir, and every archive it had to skip.</summary>
public sealed record IndexReport(IReadOnlyList<SubdirReport> Subdirs, IReadOnlyList<SkippedArchive> Skipped);
