namespace Krait.Bench.Generator;

/// <summary>What a generated package is, which decides its builds and dependencies.</summary>
internal enum PackageKind
{
    /// <summary>A compiled library with no python (zlib, openssl…).</summary>
    Library,

    /// <summary>The python interpreter itself.</summary>
    Interpreter,

    /// <summary>python_abi: one build per python minor.</summary>
    PythonAbi,

    /// <summary>A compiled python extension, built once per python minor (numpy, scipy…).</summary>
    CompiledPython,

    /// <summary>A pure-python <c>noarch: python</c> package.</summary>
    NoArchPython,
}

internal sealed class GeneratedPackage(string name, PackageKind kind, int index)
{
    public string Name { get; } = name;

    public PackageKind Kind { get; } = kind;

    /// <summary>Creation order: a package only depends on packages with a smaller index, so the graph has no cycles.</summary>
    public int Index { get; } = index;

    public List<string> Versions { get; } = [];

    /// <summary>For compiled python packages built against numpy.</summary>
    public bool UsesNumpy { get; set; }

    public List<GeneratedPackage> Dependencies { get; } = [];
}

/// <summary>One record to be written: the fields conda-forge's repodata has, in its key order.</summary>
internal sealed class GeneratedRecord
{
    public required string FileName { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string Build { get; init; }

    public required int BuildNumber { get; init; }

    public required string Subdir { get; init; }

    public required List<string> Depends { get; init; }

    public List<string> Constrains { get; init; } = [];

    public string? TrackFeatures { get; init; }

    public bool NoArchPython { get; init; }

    public required PackageKind Kind { get; init; }

    /// <summary>The python minor a compiled extension was built for (<c>3.11</c>), which decides its site-packages.</summary>
    public string? PythonMinor { get; init; }

    public required string License { get; init; }

    /// <summary>Made up for metadata-only channels; replaced by the real archive's when the channel has archives.</summary>
    public required string Md5 { get; set; }

    public required string Sha256 { get; set; }

    public required long Size { get; set; }

    public required long Timestamp { get; init; }
}
