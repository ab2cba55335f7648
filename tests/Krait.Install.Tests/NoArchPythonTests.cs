using Krait.Conda.Records;
using Krait.TestSupport;

namespace Krait.Install.Tests;

public sealed class NoArchPythonTests : IDisposable
{
    private readonly TempFolder scratch = new("noarch");

    public NoArchPythonTests() => Directory.CreateDirectory(scratch);

    public void Dispose() => scratch.Dispose();

    private static PackageRecord Python(string version, string? sitePackages = null) =>
        new() { Name = "python", Version = version, Build = "0", FileName = $"python-{version}-0.conda", PythonSitePackagesPath = sitePackages };

    [Fact]
    public void Site_packages_follow_the_environments_python()
    {
        var layout = PythonLayout.From([Python("3.12.1")], "linux-64")!;
        Assert.Equal("lib/python3.12/site-packages/pkg/__init__.py", layout.Map("site-packages/pkg/__init__.py"));
        Assert.Equal("bin/tool", layout.Map("python-scripts/tool"));
        Assert.Equal("share/doc/x", layout.Map("share/doc/x"));

        Assert.Equal("lib/python3.13t/site-packages/a.py", PythonLayout.From([Python("3.13.0", "lib/python3.13t/site-packages")], "linux-64")!.Map("site-packages/a.py"));
        Assert.Equal("Lib/site-packages/a.py", PythonLayout.From([Python("3.12.1")], "win-64")!.Map("site-packages/a.py"));
        Assert.Null(PythonLayout.From([], "linux-64"));
    }

    [Fact]
    public void Entry_points_become_launchers_that_run_the_function()
    {
        var extracted = Path.Combine(scratch, "pkg");
        Directory.CreateDirectory(Path.Combine(extracted, "info"));
        File.WriteAllText(Path.Combine(extracted, "info", "link.json"), """{"noarch": {"type": "python", "entry_points": ["mytool = mypkg.cli:main", "other=mypkg.other:run.go"]}, "package_metadata_version": 1}""");
        var points = EntryPoints.Read(extracted);
        Assert.Equal([new EntryPoint("mytool", "mypkg.cli", "main"), new EntryPoint("other", "mypkg.other", "run.go")], points);

        var layout = PythonLayout.From([Python("3.12.1")], "linux-64")!;
        var relative = Assert.Single(EntryPoints.PathsOf(layout, points[0]));
        Assert.Equal("bin/mytool", relative);
        EntryPoints.Write(Path.Combine(scratch, "bin", "mytool"), scratch, layout, points[0]);
        var script = File.ReadAllText(Path.Combine(scratch, "bin", "mytool"));
        Assert.StartsWith($"#!{scratch}/bin/python\n", script, StringComparison.Ordinal);
        Assert.Contains("from mypkg.cli import main", script, StringComparison.Ordinal);
        Assert.Contains("sys.exit(main())", script, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(Path.Combine(scratch, "bin", "mytool")).HasFlag(UnixFileMode.UserExecute));
        }

        File.WriteAllText(Path.Combine(extracted, "info", "link.json"), """{"noarch": {"type": "python", "entry_points": ["../evil = x:y"]}}""");
        Assert.Throws<InstallException>(() => EntryPoints.Read(extracted));

        // The module and function are written into Python source: a line break there would be code of the package's choosing in the launcher.
        File.WriteAllText(Path.Combine(extracted, "info", "link.json"), """{"noarch": {"type": "python", "entry_points": ["tool = os\nimport shutil; shutil.rmtree('/'):main"]}}""");
        Assert.Throws<InstallException>(() => EntryPoints.Read(extracted));
    }
}
