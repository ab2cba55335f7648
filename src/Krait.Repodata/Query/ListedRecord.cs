using Krait.Conda.Records;

namespace Krait.Repodata.Query;

/// <summary>
/// A record with its place in its subdir's listing, as libmamba numbers the records it reads: the <c>.conda</c>
/// section before the <c>.tar.bz2</c> one, each in file order. Only the order of places means something.
/// </summary>
public readonly record struct ListedRecord(PackageRecord Record, long Place);
