using Krait.TestSupport;

namespace Krait.Bench.Generator.Tests;

/// <summary>The example channel generated once (seed 42) into a temporary folder, shared by the tests that read it.</summary>
public sealed class GeneratedExampleChannel : IDisposable
{
    public GeneratedExampleChannel() => SyntheticChannel.Write(Root, GeneratorOptions.Example(42));

    private readonly TempFolder folder = new("example");

    public string Root => folder.Path;

    public void Dispose() => folder.Dispose();
}
