using Krait.TestSupport;
namespace Krait.Install.Tests;

public sealed class HistoryReaderTests : IDisposable
{
    private readonly TempFolder prefix = new("history");

    public HistoryReaderTests() => Directory.CreateDirectory(Path.Combine(prefix, "conda-meta"));

    public void Dispose() => prefix.Dispose();

    [Fact]
    public void Collects_the_requested_specs_across_revisions()
    {
        File.WriteAllText(Path.Combine(prefix, "conda-meta", "history"), """
            ==> 2024-01-01 10:00:00 <==
            # cmd: conda create -n x python=3.11 numpy
            +conda-forge::python-3.11.7-hab00c5b_1_cpython
            # update specs: ['python=3.11', 'numpy']
            ==> 2024-01-02 10:00:00 <==
            # cmd: conda install "numpy>=1.26" pandas
            # update specs: ["numpy[version='>=1.26']", 'conda-forge::pandas']
            ==> 2024-01-03 10:00:00 <==
            # remove specs: ['python']
            """);

        Assert.Equal(["numpy[version='>=1.26']", "conda-forge::pandas"], HistoryReader.RequestedSpecs(Prefix.At(prefix)));
    }

    [Fact]
    public void No_history_means_no_specs() => Assert.Empty(HistoryReader.RequestedSpecs(Prefix.At(prefix)));
}
