using System.Text.Json;
using Krait.Install.Transactions;
using Krait.Packages;

namespace Krait.Install.Tests;

public sealed class TransactionTests : IDisposable
{
    private readonly TestEnvironment env = new();

    public void Dispose() => env.Dispose();

    [Fact]
    public void Updates_and_removes_packages_of_an_existing_environment()
    {
        env.Create(
            TestEnvironment.FromChannel("conda-test-recipes", "dependent", "1.0"),
            TestEnvironment.FromChannel("conda-test-recipes", "dependency", "1.0"),
            TestEnvironment.FromChannel("conda-test-recipes", "small-executable"));
        Assert.Equal(["dependency-1.0-0", "dependent-1.0-0", "small-executable-1.0-0"], env.Installed());

        env.Change(
            TestEnvironment.FromChannel("conda-test-recipes", "dependent", "2.0"),
            TestEnvironment.FromChannel("conda-test-recipes", "dependency", "2.0"),
            TestEnvironment.FromChannel("conda-test-recipes", "small-executable"));
        Assert.Equal(["dependency-2.0-0", "dependent-2.0-0", "small-executable-1.0-0"], env.Installed());
        Assert.False(env.Has("conda-meta/dependent-1.0-0.json"));
        var history = env.Read("conda-meta/history");
        Assert.Contains("-file://", history, StringComparison.Ordinal);
        Assert.Matches(@"\n-[^\n]*::dependent-1\.0-0\n", history);
        Assert.Matches(@"\n\+[^\n]*::dependent-2\.0-0\n", history);

        var executable = "bin/small";
        Assert.Contains(executable, JsonDocument.Parse(env.Read("conda-meta/small-executable-1.0-0.json")).RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.True(env.Has(executable));
        env.Remove("small-executable");
        Assert.False(env.Has(executable));
        Assert.False(env.Has(Path.GetDirectoryName(executable)!), "the folder the removal emptied stays behind");
        Assert.Contains("# remove specs: ['small-executable']", env.Read("conda-meta/history"), StringComparison.Ordinal);
        Assert.False(env.Has(TransactionJournal.FolderName));
    }

    [Fact]
    public void Link_scripts_run_with_condas_variables_and_pre_unlink_runs_on_removal()
    {
        var result = env.Create(TestEnvironment.Loose("link-scripts/link-scripts-0.1.0-h4616a5c_0.conda"));
        Assert.True(env.Has("i-was-post-linked"));
        Assert.Contains("post-link script that just ran", result.Messages, StringComparison.Ordinal);
        Assert.False(env.Has(".messages.txt"), "conda shows .messages.txt once and removes it");

        env.Remove("link-scripts");
        Assert.False(env.Has("i-was-post-linked"), "the pre-unlink script did not run");
        Assert.Empty(PrefixData.Read(Prefix.At(env.Prefix)));
    }

    [Fact]
    public void Post_link_scripts_run_in_the_activated_environment()
    {
        env.Create(TestEnvironment.FromChannel("conda-test-recipes", "post_link_run_in_env_package"));
        Assert.Equal(["post_link_run_in_env_package-1.0-0"], env.Installed());
    }

    [Fact]
    public void Post_link_scripts_are_sourced_and_run_after_their_dependencies_are_linked()
    {
        // post_link-c's script ends with `return 0` (only a sourced script may) once post_link-b's bin/file is there.
        env.Create(
            TestEnvironment.FromChannel("conda-test-recipes", "post_link-c"),
            TestEnvironment.FromChannel("conda-test-recipes", "post_link-b"),
            TestEnvironment.FromChannel("conda-test-recipes", "post_link-d"),
            TestEnvironment.FromChannel("conda-test-recipes", "post_link-e"));
        Assert.Equal(["post_link-b-1.0-0", "post_link-c-1.0-0", "post_link-d-1.0-0", "post_link-e-1.0-0"], env.Installed());
    }

    [Fact]
    public void A_failing_post_link_script_rolls_the_whole_transaction_back()
    {
        env.Create(TestEnvironment.FromChannel("conda-test-recipes", "post_link-b"), TestEnvironment.Loose("clobber/clobber-1-0.1.0-h4616a5c_0.tar.bz2"));
        var before = env.Snapshot();

        var error = Assert.Throws<InstallException>(() => env.Change(
            TestEnvironment.FromChannel("conda-test-recipes", "failing_post_link"),
            TestEnvironment.Loose("clobber/clobber-1-0.2.0-h4616a5c_0.tar.bz2")));
        Assert.Contains("post-link script of failing_post_link-1.0-0 failed with exit code 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, env.Snapshot());
    }

    [Fact]
    public void A_failing_post_link_script_leaves_no_new_environment()
    {
        Assert.Throws<InstallException>(() => env.Create(TestEnvironment.FromChannel("conda-test-recipes", "failing_post_link")));
        Assert.False(Directory.Exists(env.Prefix));
    }

    [Fact]
    public void Clobbered_paths_are_reported_and_the_later_package_wins()
    {
        var result = env.Create(
            TestEnvironment.FromChannel("conda-test-recipes", "clobber-a"),
            TestEnvironment.FromChannel("conda-test-recipes", "clobber-b"));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("ClobberWarning: This transaction has incompatible packages due to a shared path.", warning, StringComparison.Ordinal);
        Assert.Contains("clobber-a-1.0-0", warning, StringComparison.Ordinal);
        Assert.Contains("clobber-b-1.0-0", warning, StringComparison.Ordinal);
        Assert.Contains("path: 'bin/clobber-test-file'", warning, StringComparison.Ordinal);
        Assert.True(env.Has("bin/clobber-test-file"));

        // The path belongs to both: removing one package leaves it for the other.
        env.Remove("clobber-b");
        Assert.True(env.Has("bin/clobber-test-file"));
        env.Remove("clobber-a");
        Assert.False(env.Has("bin/clobber-test-file"));
    }

    [Fact]
    public void Path_conflict_prevent_refuses_a_clobber_before_changing_anything()
    {
        env.Create(TestEnvironment.Loose("clobber/clobber-1-0.1.0-h4616a5c_0.tar.bz2"));
        var before = env.Snapshot();
        env.PathConflict = PathConflict.Prevent;
        var error = Assert.Throws<InstallException>(() => env.Change(
            TestEnvironment.Loose("clobber/clobber-1-0.1.0-h4616a5c_0.tar.bz2"),
            TestEnvironment.Loose("clobber/clobber-2-0.1.0-h4616a5c_0.tar.bz2")));
        Assert.Contains("'clobber.txt': packages::clobber-1-0.1.0-h4616a5c_0, packages::clobber-2-0.1.0-h4616a5c_0", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, env.Snapshot());
    }

    [Fact]
    public void An_upgrade_may_turn_a_folder_into_a_file_and_back()
    {
        var old = TestEnvironment.Loose("clobber/clobber-directory-upgrade-0.1.0-h4616a5c_0.conda");
        var next = TestEnvironment.Loose("clobber/clobber-directory-upgrade-0.2.0-h4616a5c_0.conda");
        env.Create(old);
        Assert.True(Directory.Exists(Path.Combine(env.Prefix, "xbin")));
        var withFolder = env.Snapshot();

        env.Change(next);
        Assert.True(File.Exists(Path.Combine(env.Prefix, "xbin")));
        Assert.True(env.Has("bin/content.txt"));

        env.Change(old);
        Assert.Equal(withFolder.Keys.Where(k => !k.StartsWith("conda-meta/", StringComparison.Ordinal)), env.Snapshot().Keys.Where(k => !k.StartsWith("conda-meta/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Unusual_archives_install_and_remove_cleanly()
    {
        string[] sparse = ["symlink-test-1.0.0-0.conda", "dotslash-test-1.0.0-0.conda", "info-only-1.0.0-0.conda", "sparse-test-1.0.0-0.conda", "zip64-test-1.0.0-0.conda"];
        env.Create([.. sparse.Select(s => TestEnvironment.Loose($"sparse/{s}"))]);
        Assert.Equal("libreal.so.1", new FileInfo(Path.Combine(env.Prefix, "lib", "liblink.so")).LinkTarget);
        Assert.Equal(File.ReadAllText(Path.Combine(env.Prefix, "lib", "libreal.so.1")), File.ReadAllText(Path.Combine(env.Prefix, "lib", "libhard.so")));
        foreach (var package in PrefixData.ReadInstalled(Prefix.At(env.Prefix)))
        {
            Assert.All(package.Files, f => Assert.True(env.Has(f), $"{package.Record}: {f} is listed but missing"));
        }

        env.Remove([.. PrefixData.Read(Prefix.At(env.Prefix)).Select(r => r.Name)]);
        Assert.Equal(["conda-meta", "conda-meta/history"], env.Snapshot().Keys);
    }

    [Fact]
    public void Noarch_python_files_are_compiled_with_the_environments_python_and_removed_with_the_package()
    {
        var python3 = FindOnPath("python3");
        if (python3 is null || OperatingSystem.IsWindows())
        {
            return;
        }

        var version = RunPython(python3, "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}')");
        var majorMinor = string.Join('.', version.Split('.').Take(2));
        var channel = Path.Combine(env.Root, "channel");

        // A stand-in python package: the machine's python, told where this environment's site-packages is.
        var python = new PackageBuilder("python", version, "0") { Subdir = "linux-64" };
        python.Add(PackageFile.Text("bin/python", $"#!/bin/sh\nPYTHONPATH=\"$(dirname \"$0\")/../lib/python{majorMinor}/site-packages\" exec {python3} \"$@\"\n", executable: true));
        var module = new PackageBuilder("mymodule", "1.0", "py_0") { NoArch = Krait.Conda.Records.NoArchType.Python };
        module.Depends.Add("python");
        module.Add(PackageFile.Text("site-packages/mymodule/__init__.py", "def main():\n    print('hello from mymodule')\n"));
        module.EntryPoints.Add("mytool = mymodule:main");
        var pythonRecord = TestEnvironment.FromBuilt(python.WriteTo(channel), python);
        var moduleRecord = TestEnvironment.FromBuilt(module.WriteTo(channel), module);

        env.Create(pythonRecord, moduleRecord);
        var site = $"lib/python{majorMinor}/site-packages/mymodule";
        var compiled = $"{site}/__pycache__/__init__.cpython-{majorMinor.Replace(".", string.Empty, StringComparison.Ordinal)}.pyc";
        Assert.True(env.Has(compiled), $"{compiled} was not written");
        using (var meta = JsonDocument.Parse(env.Read("conda-meta/mymodule-1.0-py_0.json")))
        {
            var paths = meta.RootElement.GetProperty("paths_data").GetProperty("paths").EnumerateArray().ToList();
            Assert.Contains(paths, p => p.GetProperty("_path").GetString() == compiled && p.GetProperty("path_type").GetString() == "pyc_file");
        }

        Assert.Equal("hello from mymodule", RunPython(Path.Combine(env.Prefix, "bin", "python"), Path.Combine(env.Prefix, "bin", "mytool"), scriptIsFile: true));

        env.Remove("mymodule");
        Assert.False(env.Has(site), "the package's folder (with __pycache__) stays behind");

        env.CompilePyc = false;
        env.Change(pythonRecord, moduleRecord);
        Assert.False(env.Has(compiled));
    }

    [Fact]
    public void A_python_that_cannot_compile_leaves_a_warning_not_a_failure()
    {
        var channel = Path.Combine(env.Root, "channel");
        var python = new PackageBuilder("python", "3.12.0", "0") { Subdir = "linux-64" };
        python.Add(PackageFile.Text("bin/python", "#!/bin/sh\nexit 0\n", executable: true));
        var module = new PackageBuilder("manymodules", "1.0", "py_0") { NoArch = Krait.Conda.Records.NoArchType.Python };
        for (var i = 0; i < 1500; i++)
        {
            // Enough file names to fill the pipe to a python that never reads it.
            module.Add(PackageFile.Text($"site-packages/manymodules/a_rather_long_module_name_number_{i:D4}.py", "x = 1\n"));
        }

        var result = env.Create(TestEnvironment.FromBuilt(python.WriteTo(channel), python), TestEnvironment.FromBuilt(module.WriteTo(channel), module));
        Assert.Contains(result.Warnings, w => w.Contains("could not compile", StringComparison.Ordinal));
        Assert.Equal(["manymodules-1.0-py_0", "python-3.12.0-0"], env.Installed());
    }

    [Theory]
    [InlineData("paths.json", "{\"paths\": [{\"_path\": 12}")]
    [InlineData("paths.json", "{\"paths\": [{\"_path\": \"../../outside\", \"path_type\": \"hardlink\"}], \"paths_version\": 1}")]
    [InlineData("link.json", "{\"noarch\": {\"type\": \"python\", \"entry_points\": [\"x = \"")]
    [InlineData("index.json", "[]")]
    [InlineData("link.json", "{\"noarch\": {\"type\": \"python\", \"entry_points\": [42]}}")]
    public void Malformed_or_hostile_metadata_is_refused_before_anything_is_linked(string file, string content)
    {
        var builder = new PackageBuilder("bad", "1.0", "0") { NoArch = file == "link.json" ? Krait.Conda.Records.NoArchType.Python : Krait.Conda.Records.NoArchType.None };
        builder.Add(PackageFile.Text("share/bad/file.txt", "x\n"));
        var layout = Path.Combine(env.Root, "layout");
        builder.WriteLayout(layout);
        File.WriteAllText(Path.Combine(layout, "info", file), content);
        var archive = Path.Combine(env.Root, "channel", builder.FileName());
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        PackageWriter.Write(layout, archive);
        var record = new Krait.Conda.Records.PackageRecord
        {
            Name = "bad",
            Version = "1.0",
            Build = "0",
            FileName = builder.FileName(),
            Url = new Uri(archive).AbsoluteUri,
            NoArch = builder.NoArch,
        };
        var python = TestEnvironment.FromChannel("conda-test-recipes", "python");

        var error = Assert.ThrowsAny<Exception>(() => env.Create(python, record));
        Assert.True(error is HostileArchiveException or InstallException, error.ToString());
        Assert.False(Directory.Exists(env.Prefix));
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static string RunPython(string python, string code, bool scriptIsFile = false)
    {
        var start = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardOutput = true, UseShellExecute = false };
        if (!scriptIsFile)
        {
            start.ArgumentList.Add("-c");
        }

        start.ArgumentList.Add(code);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
