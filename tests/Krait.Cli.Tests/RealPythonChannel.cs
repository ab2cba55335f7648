using System.IO.Compression;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// A channel with a real python and a real pip, packaged by Krait from this machine's python: <c>python</c> is a
/// relocatable virtual environment of it (<c>python -m venv --copies</c>: the interpreter binary and a
/// <c>pyvenv.cfg</c> naming the machine's standard library), <c>pip</c> is the <c>noarch: python</c> package of the
/// pip wheel that python bundles, as conda-forge packages pip. Made once per test class; the examples channel's
/// python is a stand-in script that cannot run pip.
/// </summary>
public sealed class RealPythonChannel : IDisposable
{
    private readonly TempFolder folder = new TempFolder("real-python").Create();

    public RealPythonChannel()
    {
        var python3 = RequiredTool.Find("python3", "install python3 (apt-get install python3 python3-venv)");
        // Debian's python3 has no ensurepip without python3-venv; its pip wheel is then in /usr/share/python-wheels.
        var facts = ExternalProgram.Run(python3, "-c", "import sys, os\ntry:\n    import ensurepip; bundled = os.path.join(os.path.dirname(ensurepip.__file__), '_bundled')\nexcept ImportError:\n    bundled = ''\nprint('%d.%d.%d' % sys.version_info[:3]); print(bundled)").Split('\n');
        PythonVersion = facts[0].Trim();
        var bundled = facts[1].Trim();
        var wheel = (bundled.Length > 0 && Directory.Exists(bundled) ? Directory.GetFiles(bundled, "pip-*.whl") : [])
            .Concat(Directory.Exists("/usr/share/python-wheels") ? Directory.GetFiles("/usr/share/python-wheels", "pip-*.whl") : [])
            .FirstOrDefault() ?? throw new InvalidOperationException($"this test needs the pip wheel python3 bundles ({bundled}) or Debian's python3-pip-whl");
        PipVersion = Path.GetFileName(wheel).Split('-')[1];

        var venv = folder.Combine("venv");
        ExternalProgram.Run(python3, "-m", "venv", "--copies", "--without-pip", venv);
        var shortVersion = string.Join('.', PythonVersion.Split('.')[..2]);
        var subdir = Path.Combine(Channel, "linux-64");
        var python = new PackageBuilder("python", PythonVersion, "0_krait_test") { Subdir = "linux-64", Timestamp = 1_700_000_000_000 };
        python.Add(PackageFile.Binary($"bin/python{shortVersion}", File.ReadAllBytes(Path.Combine(venv, "bin", $"python{shortVersion}")), executable: true));
        python.Add(PackageFile.Symlink("bin/python3", $"python{shortVersion}"));
        python.Add(PackageFile.Symlink("bin/python", $"python{shortVersion}"));
        // The interpreter finds its standard library through pyvenv.cfg; the line naming the folder it was made in goes.
        var configuration = File.ReadAllLines(Path.Combine(venv, "pyvenv.cfg")).Where(l => !l.StartsWith("command", StringComparison.Ordinal));
        python.Add(PackageFile.Text("pyvenv.cfg", string.Join('\n', configuration) + "\n"));
        python.WriteTo(subdir);

        var pip = new PackageBuilder("pip", PipVersion, "pyh_krait_test_0") { NoArch = Krait.Conda.Records.NoArchType.Python, Timestamp = 1_700_000_000_000 };
        pip.Depends.Add("python >=3.7");
        using (var archive = ZipFile.OpenRead(wheel))
        {
            foreach (var entry in archive.Entries.Where(e => !e.FullName.EndsWith('/')))
            {
                using var stream = entry.Open();
                using var content = new MemoryStream();
                stream.CopyTo(content);
                pip.Add(PackageFile.Binary($"site-packages/{entry.FullName}", content.ToArray()));
            }
        }

        pip.WriteTo(Path.Combine(Channel, "noarch"));
        var index = KraitProcess.Run(["index", Channel]);
        if (index.ExitCode != 0)
        {
            throw new InvalidOperationException($"krait index failed: {index.StandardError}");
        }
    }

    public string Channel => folder.Combine("channel");

    /// <summary>The machine's python version, which the package carries.</summary>
    public string PythonVersion { get; }

    public string PipVersion { get; }

    /// <summary>Writes a pure-python wheel <c>NAME-VERSION-py3-none-any.whl</c> with a console script NAME into <paramref name="directory"/>.</summary>
    public static void WriteWheel(string directory, string name, string version)
    {
        Directory.CreateDirectory(directory);
        using var archive = ZipFile.Open(Path.Combine(directory, $"{name}-{version}-py3-none-any.whl"), ZipArchiveMode.Create);
        var info = $"{name}-{version}.dist-info";
        var files = new Dictionary<string, string>
        {
            [$"{name}/__init__.py"] = $"VERSION = \"{version}\"\n\n\ndef main():\n    print(\"{name}\", VERSION)\n",
            [$"{info}/METADATA"] = $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
            [$"{info}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: krait-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            [$"{info}/entry_points.txt"] = $"[console_scripts]\n{name} = {name}:main\n",
        };
        files[$"{info}/RECORD"] = string.Concat(files.Keys.Append($"{info}/RECORD").Select(path => $"{path},,\n"));
        foreach (var (path, text) in files)
        {
            using var writer = new StreamWriter(archive.CreateEntry(path).Open());
            writer.Write(text);
        }
    }

    public void Dispose() => folder.Dispose();
}
