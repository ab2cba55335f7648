using System.Globalization;

namespace Krait.Bench.Generator;

/// <summary>
/// Builds a conda-forge-like channel in memory: real core names with realistic histories, then generated
/// names until the record target is reached. Every dependency names an earlier package and pins a range
/// that one of its versions satisfies, so every package of the channel is installable.
/// </summary>
internal sealed class ChannelGenerator
{
    private static readonly string[] PythonMinors = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];

    private static readonly string[] CoreLibraries =
    [
        "_libgcc_mutex", "libgcc-ng", "libstdcxx-ng", "libgomp", "libzlib", "zlib", "bzip2", "xz", "lz4-c", "zstd",
        "openssl", "ca-certificates", "libffi", "ncurses", "readline", "sqlite", "tk", "libuuid", "libnsl", "libxcrypt",
        "tzdata", "libexpat", "libpng", "libjpeg-turbo", "freetype", "icu", "libxml2", "krb5", "c-ares", "libnghttp2",
        "libssh2", "libcurl", "libopenblas", "intel-openmp", "mkl", "libblas", "libcblas", "liblapack", "hdf5", "libllvm14",
    ];

    private static readonly string[] CoreCompiled =
    [
        "numpy", "scipy", "pandas", "matplotlib-base", "scikit-learn", "pyyaml", "cffi", "cryptography", "lxml", "pillow",
        "h5py", "llvmlite", "numba", "pyzmq", "tornado", "markupsafe", "psutil", "kiwisolver", "pydantic-core", "contourpy",
    ];

    private static readonly string[] CoreNoArch =
    [
        "six", "setuptools", "wheel", "pip", "packaging", "python-dateutil", "pytz", "certifi", "idna", "urllib3",
        "charset-normalizer", "requests", "jinja2", "attrs", "pyparsing", "cycler", "fonttools", "joblib", "threadpoolctl",
        "typing_extensions", "tqdm", "click", "decorator", "parso", "jedi", "pygments", "traitlets", "prompt-toolkit",
        "matplotlib-inline", "ipython", "platformdirs", "jupyter_core", "jupyter_client", "nest-asyncio", "ipykernel",
        "notebook", "jupyter", "filelock", "fsspec", "networkx", "mpmath", "sympy", "toolz", "cloudpickle", "dask-core",
        "xarray", "seaborn", "patsy", "statsmodels", "matplotlib",
    ];

    private static readonly string[] Syllables =
    [
        "ar", "bel", "cor", "dex", "el", "fin", "gor", "hal", "ion", "jax", "kor", "lum", "mar", "nex", "ost", "pyx", "quo",
        "ras", "sol", "tor", "ul", "vex", "wyn", "xor", "yar", "zen", "ka", "lo", "mi", "nu", "po", "ri", "sa", "te", "vo",
    ];

    private static readonly string[] Licenses = ["MIT", "BSD-3-Clause", "Apache-2.0", "GPL-3.0-or-later", "LGPL-2.1-or-later", "MPL-2.0", "PSF-2.0", "Zlib"];

    private readonly Prng random;
    private readonly GeneratorOptions options;
    private readonly List<GeneratedPackage> packages = [];
    private readonly Dictionary<string, GeneratedPackage> byName = new(StringComparer.Ordinal);
    private readonly List<GeneratedRecord> records = [];
    private readonly long firstTimestamp = 1_577_836_800_000; // 2020-01-01

    public ChannelGenerator(GeneratorOptions options)
    {
        this.options = options;
        random = new Prng((ulong)options.Seed);
    }

    public IReadOnlyList<GeneratedRecord> Generate()
    {
        // The small example keeps a slice of each layer, enough to show search and solving on a few names.
        var small = options.Small;
        foreach (var name in small ? CoreLibraries.Take(10).Concat(["libopenblas", "intel-openmp", "mkl", "libblas"]) : CoreLibraries)
        {
            AddPackage(name, PackageKind.Library);
        }

        AddPackage("python", PackageKind.Interpreter);
        AddPackage("python_abi", PackageKind.PythonAbi);
        foreach (var name in CoreNoArch.Take(small ? 6 : 12))
        {
            AddPackage(name, PackageKind.NoArchPython);
        }

        foreach (var name in CoreCompiled.Take(small ? 4 : CoreCompiled.Length))
        {
            AddPackage(name, PackageKind.CompiledPython);
        }

        foreach (var name in CoreNoArch.Skip(12).Take(small ? 6 : CoreNoArch.Length))
        {
            AddPackage(name, PackageKind.NoArchPython);
        }

        var generated = 0;
        while (records.Count < options.TargetRecords)
        {
            var kind = (generated % 10) switch
            {
                < 2 => PackageKind.Library,
                < 5 => PackageKind.CompiledPython,
                _ => PackageKind.NoArchPython,
            };
            AddPackage(GeneratedName(kind), kind);
            generated++;
        }

        return records;
    }

    private string GeneratedName(PackageKind kind)
    {
        while (true)
        {
            var stem = random.Pick(Syllables) + random.Pick(Syllables) + (random.Chance(0.5) ? random.Pick(Syllables) : string.Empty);
            var name = kind switch
            {
                PackageKind.Library => "lib" + stem,
                PackageKind.NoArchPython => random.Chance(0.3) ? "py-" + stem : stem + (random.Chance(0.2) ? "-" + random.Pick(Syllables) : string.Empty),
                _ => stem + (random.Chance(0.3) ? "py" : string.Empty),
            };
            if (!byName.ContainsKey(name))
            {
                return name;
            }
        }
    }

    private void AddPackage(string name, PackageKind kind)
    {
        var package = new GeneratedPackage(name, kind, packages.Count);
        packages.Add(package);
        byName[name] = package;
        package.Versions.AddRange(VersionHistory(kind, name));
        package.UsesNumpy = kind == PackageKind.CompiledPython && name != "numpy" && byName.ContainsKey("numpy") && random.Chance(0.6);
        ChooseDependencies(package);
        for (var v = 0; v < package.Versions.Count; v++)
        {
            EmitBuilds(package, v);
        }
    }

    private List<string> VersionHistory(PackageKind kind, string name)
    {
        if (kind == PackageKind.Interpreter)
        {
            return [.. PythonMinors.SelectMany(minor => Enumerable.Range(0, options.Small ? 2 : 4).Select(patch => $"{minor}.{patch}"))];
        }

        if (kind == PackageKind.PythonAbi)
        {
            return [.. PythonMinors];
        }

        var flagship = name is "numpy" or "scipy" or "pandas";
        var count = flagship ? 30 : random.Next(3, kind == PackageKind.NoArchPython ? 25 : 16);
        if (options.Small)
        {
            count = Math.Min(count, flagship ? 8 : 3);
        }

        var versions = new List<string>(count);
        var calendar = !flagship && random.Chance(0.1);
        int major = calendar ? 2019 : random.Next(0, 3), minor = random.Next(0, 10), patch = 0;
        if (flagship)
        {
            // Real-looking histories for the names people search for: numpy from 1.20, scipy from 1.6, pandas from 1.2.
            (major, minor) = name switch { "numpy" => (1, 20), "scipy" => (1, 6), _ => (1, 2) };
        }

        for (var i = 0; i < count; i++)
        {
            if (random.Chance(0.25))
            {
                minor++;
                patch = 0;
            }
            else if (random.Chance(0.05))
            {
                major++;
                minor = 0;
                patch = 0;
            }
            else
            {
                patch++;
            }

            var version = calendar ? $"{major}.{minor + 1:00}.{patch}" : $"{major}.{minor}.{patch}";
            if (random.Chance(0.03))
            {
                version += random.Pick(["rc1", "post1", ".dev0", "a1"]);
            }

            versions.Add(version);
        }

        return versions;
    }

    private void ChooseDependencies(GeneratedPackage package)
    {
        if (package.Index == 0)
        {
            return;
        }

        var wanted = package.Kind switch
        {
            PackageKind.Library => random.Next(0, 4),
            PackageKind.Interpreter => 8,
            PackageKind.PythonAbi => 0,
            PackageKind.CompiledPython => random.Next(1, 4),
            _ => random.Next(0, 5),
        };

        for (var i = 0; i < wanted * 3 && package.Dependencies.Count < wanted; i++)
        {
            var candidate = packages[random.Next(0, package.Index)];
            var fits = package.Kind switch
            {
                PackageKind.NoArchPython => candidate.Kind == PackageKind.NoArchPython,
                PackageKind.CompiledPython => candidate.Kind is PackageKind.Library or PackageKind.NoArchPython,
                _ => candidate.Kind == PackageKind.Library,
            };
            if (fits && candidate != package && !package.Dependencies.Contains(candidate))
            {
                package.Dependencies.Add(candidate);
            }
        }
    }

    private void EmitBuilds(GeneratedPackage package, int versionIndex)
    {
        var version = package.Versions[versionIndex];
        var progress = package.Versions.Count == 1 ? 1.0 : versionIndex / (double)(package.Versions.Count - 1);
        var timestamp = firstTimestamp + (long)(progress * 150_000_000_000) + random.Next(0, 86_400_000);
        switch (package.Kind)
        {
            case PackageKind.Interpreter:
                var minor = version[..version.LastIndexOf('.')];
                var cp = "cp" + minor.Replace(".", string.Empty, StringComparison.Ordinal);
                Emit(package, version, $"h{random.Hex(7)}_0_cpython", 0, "linux-64", timestamp, LibraryPins(package), constrains: [$"python_abi {minor}.* *_{cp}"]);
                break;
            case PackageKind.PythonAbi:
                var abiTag = "cp" + version.Replace(".", string.Empty, StringComparison.Ordinal);
                Emit(package, version, $"4_{abiTag}", 4, "linux-64", timestamp, [], constrains: [$"python {version}.* *_cpython"]);
                break;
            case PackageKind.Library:
                EmitLibrary(package, version, timestamp);
                break;
            case PackageKind.CompiledPython:
                EmitCompiledPython(package, version, progress, timestamp);
                break;
            default:
                var buildNumber = random.Next(0, 3);
                var depends = new List<string> { $"python >={random.Pick(PythonMinors.AsSpan(0, 3).ToArray())}" };
                foreach (var dependency in package.Dependencies)
                {
                    depends.Add(random.Chance(0.5) ? dependency.Name : $"{dependency.Name} >={random.Pick(dependency.Versions)}");
                }

                Emit(package, version, $"pyhd8ed1ab_{buildNumber}", buildNumber, "noarch", timestamp, depends, noArchPython: true);
                break;
        }
    }

    private void EmitLibrary(GeneratedPackage package, string version, long timestamp)
    {
        var builds = random.Next(1, 3);
        for (var b = 0; b < builds; b++)
        {
            if (package.Name == "libblas")
            {
                // BLAS variants: the mkl one is down-weighted with a track_feature, as on conda-forge.
                Emit(package, version, $"{b}_openblas", b, "linux-64", timestamp, [Pin(byName["libopenblas"])]);
                Emit(package, version, $"{b}_mkl", b, "linux-64", timestamp, [Pin(byName["mkl"])], trackFeatures: "blas_mkl");
                continue;
            }

            Emit(package, version, $"h{random.Hex(7)}_{b}", b, "linux-64", timestamp + b, LibraryPins(package));
        }
    }

    private void EmitCompiledPython(GeneratedPackage package, string version, double progress, long timestamp)
    {
        // Older releases were built for older pythons: a window of minors slides with the release.
        var low = (int)Math.Round(progress * 3);
        var high = Math.Min(PythonMinors.Length - 1, low + 2 + (progress > 0.8 ? 1 : 0));
        for (var m = low; m <= high; m++)
        {
            var minor = PythonMinors[m];
            var tag = "py" + minor.Replace(".", string.Empty, StringComparison.Ordinal);
            var cp = "cp" + minor.Replace(".", string.Empty, StringComparison.Ordinal);
            var buildNumber = random.Next(0, 3);
            var depends = new List<string>
            {
                Pin(byName["libgcc-ng"]),
                $"python >={minor},<{NextMinor(minor)}.0a0",
                $"python_abi {minor}.* *_{cp}",
            };
            if (package.UsesNumpy && OldestNumpyFor(m) is { } numpy)
            {
                depends.Add($"numpy >={numpy},<3.0a0");
            }

            foreach (var dependency in package.Dependencies)
            {
                depends.Add(dependency.Kind == PackageKind.Library ? Pin(dependency) : dependency.Name);
            }

            var constrains = package.Name == "numpy" ? new List<string> { "numpy-base <0a0" } : random.Chance(0.1) ? [$"{packages[random.Next(0, package.Index)].Name} >=1"] : [];
            Emit(package, version, $"{tag}h{random.Hex(7)}_{buildNumber}", buildNumber, "linux-64", timestamp + m, depends, constrains, pythonMinor: minor);
        }
    }

    private string? OldestNumpyFor(int minorIndex)
    {
        var numpy = byName["numpy"];
        for (var v = 0; v < numpy.Versions.Count; v++)
        {
            var progress = v / (double)(numpy.Versions.Count - 1);
            var low = (int)Math.Round(progress * 3);
            var high = Math.Min(PythonMinors.Length - 1, low + 2 + (progress > 0.8 ? 1 : 0));
            if (minorIndex >= low && minorIndex <= high)
            {
                return numpy.Versions[v];
            }
        }

        return null;
    }

    private List<string> LibraryPins(GeneratedPackage package)
    {
        var depends = new List<string>();
        foreach (var dependency in package.Dependencies)
        {
            depends.Add(Pin(dependency));
        }

        return depends;
    }

    /// <summary>A run_exports-style pin: at least one existing version, below its next major.</summary>
    private string Pin(GeneratedPackage dependency)
    {
        var version = random.Pick(dependency.Versions);
        var major = version.Split('.')[0];
        var next = int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? (number + 1).ToString(CultureInfo.InvariantCulture) : major + "0";
        return $"{dependency.Name} >={version},<{next}.0a0";
    }

    private static string NextMinor(string minor)
    {
        var dot = minor.IndexOf('.', StringComparison.Ordinal);
        var next = int.Parse(minor.AsSpan(dot + 1), CultureInfo.InvariantCulture) + 1;
        return $"{minor[..dot]}.{next}";
    }

    private void Emit(
        GeneratedPackage package, string version, string build, int buildNumber, string subdir, long timestamp,
        List<string> depends, List<string>? constrains = null, string? trackFeatures = null, bool noArchPython = false, string? pythonMinor = null)
    {
        // Recent releases are .conda; older ones .tar.bz2; a few recent ones in both, as on conda-forge.
        var stem = $"{package.Name}-{version}-{build}";
        var recent = timestamp > firstTimestamp + 60_000_000_000;
        var formats = recent ? (random.Chance(0.1) ? 2 : 1) : 1;
        for (var f = 0; f < formats; f++)
        {
            var extension = recent && f == 0 ? ".conda" : ".tar.bz2";
            records.Add(new GeneratedRecord
            {
                FileName = stem + extension,
                Name = package.Name,
                Version = version,
                Build = build,
                BuildNumber = buildNumber,
                Subdir = subdir,
                Depends = depends,
                Constrains = constrains ?? [],
                TrackFeatures = trackFeatures,
                NoArchPython = noArchPython,
                Kind = package.Kind,
                PythonMinor = pythonMinor,
                License = random.Pick(Licenses),
                Md5 = random.Hex(32),
                Sha256 = random.Hex(64),
                Size = random.Next(2_000, 60_000_000),
                Timestamp = timestamp,
            });
        }
    }
}
