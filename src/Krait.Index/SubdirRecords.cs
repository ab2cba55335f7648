namespace Krait.Index;

/// <summary>A subdir's records as served (after patches), with the packages they came from: what <see cref="ChannelData"/> reads.</summary>
public sealed record SubdirRecords(string Subdir, IReadOnlyList<(IndexedPackage Package, byte[] Record)> Records);
