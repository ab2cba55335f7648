using Krait.Bench.Generator;

namespace Krait.Bench.Generator.Tests;

/// <summary>The example channel generated once (seed 42) into a temporary folder, shared by the tests that read it.</summary>
public sealed class GeneratedExampleChannel : IDisposable
{
    public GeneratedExampleChannel() => SyntheticChannel.Write(Root, GeneratorOptions.Example(42));

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "krait-example-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
