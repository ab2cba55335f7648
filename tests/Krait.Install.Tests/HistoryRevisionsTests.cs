namespace Krait.Install.Tests;

/// <summary>Revisions of conda's <c>conda-meta/history</c> format (as conda 4–25 writes it), and the state at each.</summary>
public sealed class HistoryRevisionsTests
{
    // The shape conda writes: a header per transaction, the command, then -/+ dists and the specs asked.
    private static readonly string[] CondaHistory =
    [
        "==> 2024-03-01 10:00:00 <==",
        "# cmd: /opt/conda/bin/conda create -n demo python=3.11",
        "# conda version: 24.1.2",
        "+conda-forge/linux-64::python-3.11.8-hab00c5b_0_cpython",
        "+conda-forge/noarch::pip-24.0-pyhd8ed1ab_0",
        "+conda-forge/linux-64::libzlib-1.2.13-hd590300_5",
        "# update specs: ['python=3.11']",
        "==> 2024-03-02 11:00:00 <==",
        "# cmd: /opt/conda/bin/conda install -n demo python=3.12",
        "-conda-forge/linux-64::python-3.11.8-hab00c5b_0_cpython",
        "+conda-forge/linux-64::python-3.12.2-hab00c5b_0_cpython",
        "+conda-forge/noarch::requests-2.31.0-pyhd8ed1ab_0",
        "# update specs: ['python=3.12', 'requests']",
        "==> 2024-03-03 12:00:00 <==",
        "# cmd: /opt/conda/bin/conda remove -n demo requests",
        "-conda-forge/noarch::requests-2.31.0-pyhd8ed1ab_0",
        "# remove specs: ['requests']",
    ];

    [Fact]
    public void Each_block_is_a_revision_with_its_command_and_changes()
    {
        var revisions = HistoryRevisions.Parse(CondaHistory);
        Assert.Equal([0, 1, 2], revisions.Select(r => r.Number));
        Assert.Equal("2024-03-02 11:00:00", revisions[1].Date);
        Assert.Equal("/opt/conda/bin/conda install -n demo python=3.12", revisions[1].Command);
        Assert.Equal(["conda-forge/linux-64::python-3.11.8-hab00c5b_0_cpython"], revisions[1].Removed);
        Assert.Equal(2, revisions[1].Added.Count);
    }

    [Theory]
    [InlineData(0, new[] { "libzlib-1.2.13-hd590300_5", "pip-24.0-pyhd8ed1ab_0", "python-3.11.8-hab00c5b_0_cpython" })]
    [InlineData(1, new[] { "libzlib-1.2.13-hd590300_5", "pip-24.0-pyhd8ed1ab_0", "python-3.12.2-hab00c5b_0_cpython", "requests-2.31.0-pyhd8ed1ab_0" })]
    [InlineData(2, new[] { "libzlib-1.2.13-hd590300_5", "pip-24.0-pyhd8ed1ab_0", "python-3.12.2-hab00c5b_0_cpython" })]
    public void The_state_at_a_revision_is_every_addition_not_removed_since(int revision, string[] expected) =>
        Assert.Equal(expected, HistoryRevisions.StateAt(HistoryRevisions.Parse(CondaHistory), revision).Select(HistoryRevisions.DistName).Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("conda-forge/linux-64::python-3.12.2-hab00c5b_0_cpython", "python", "conda-forge/linux-64")]
    [InlineData("file:///c/linux-64::lz4-c-1.0.0-h9d9c264_0", "lz4-c", "file:///c/linux-64")]
    [InlineData("defaults::_libgcc_mutex-0.1-main", "_libgcc_mutex", "defaults")]
    public void A_dist_string_gives_its_name_and_channel(string dist, string name, string channel)
    {
        Assert.Equal(name, HistoryRevisions.PackageName(dist));
        Assert.Equal(channel, HistoryRevisions.ChannelOf(dist));
    }
}
