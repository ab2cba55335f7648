namespace Krait.Solve.Sat;

/// <summary>Counters of one search, for benchmarks and for telling why a solve was slow.</summary>
public sealed class SatStatistics
{
    public long Decisions { get; internal set; }

    public long Conflicts { get; internal set; }

    public long Propagations { get; internal set; }

    public long LearntClauses { get; internal set; }

    public override string ToString() =>
        $"decisions={Decisions} conflicts={Conflicts} propagations={Propagations} learnt={LearntClauses}";
}
