using Krait.Conda.Platforms;
using Krait.Packages;

namespace Krait.Bench.Server;

/// <summary>A real package of incompressible bytes (a large library's size, or a small upload), for serving and upload benchmarks.</summary>
internal static class BenchPackage
{
    public static void Run(string outputFolder, string name, string subdir, int kilobytes)
    {
        var data = new byte[kilobytes << 10];
        new Random(name.Length * 31 + kilobytes).NextBytes(data);
        var package = new PackageBuilder(name, "1.0", "0") { Subdir = subdir, Timestamp = 1_790_000_000_000 }
            .Add(PackageFile.Binary($"share/{name}/blob.bin", data));
        if (subdir == Platform.NoArch)
        {
            package.NoArch = Krait.Conda.Records.NoArchType.Generic;
        }

        Directory.CreateDirectory(outputFolder);
        Console.WriteLine(package.WriteTo(outputFolder).Path);
    }
}
