using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Cli.Tests.Security;

/// <summary>
/// Channels built to attack the client, run through the real <c>krait</c>: file names and build strings that are
/// paths, specs built to crash parsers, a repodata that is a fifo. Every one ends in a clear error or a warning
/// naming the file and record, exit code 1 where nothing could be done, and nothing outside changed.
/// </summary>
public sealed class HostileChannelTests : IDisposable
{
    private readonly HostileWorkspace workspace = new();

    public void Dispose() => workspace.Dispose();

    private KraitResult Krait(params string[] arguments) =>
        KraitProcess.Run(arguments, new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = workspace.Pkgs });

    private string[] Channel => ["-c", workspace.Channel, "--override-channels", "--platform", "linux-64"];

    private string Outside => Path.Combine(workspace.Root, "outside");

    /// <summary>A channel with one healthy package and <paramref name="hostile"/> records (raw JSON members of noarch's "packages").</summary>
    private void WriteChannel(string hostile)
    {
        workspace.Publish("healthy", "1.0", "0", [ArchiveEntry.File("share/healthy.txt", "ok")]);
        workspace.WriteRepodata();
        var noarch = Path.Combine(workspace.Channel, "noarch", "repodata.json");
        var json = File.ReadAllText(noarch);
        File.WriteAllText(noarch, json.Replace("\"packages\": {}", "\"packages\": {" + hostile + "}", StringComparison.Ordinal));
        Directory.CreateDirectory(Path.Combine(Outside, "victimdir"));
        File.WriteAllText(Path.Combine(Outside, "victimdir", "keep.txt"), "keep");
    }

    [Theory]
    [InlineData("../outside/victimdir.tar.bz2", "victimdir", "0")]
    [InlineData("../../../x/remote.tar.bz2", "remote", "0")]
    [InlineData("buildtrav-1-0.tar.bz2", "buildtrav", "0/../../../outside/buildtrav")]
    public void A_record_whose_file_name_or_build_is_a_path_is_skipped_with_a_warning(string key, string name, string build)
    {
        WriteChannel($$"""
            "{{key}}": {"name": "{{name}}", "version": "1", "build": "{{build}}", "build_number": 0, "depends": [], "subdir": "noarch"}
            """);

        var create = Krait(["create", "-y", "-p", workspace.Prefix, .. Channel, name]);

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("warning: ", create.StandardError, StringComparison.Ordinal);
        Assert.Contains(key, create.StandardError, StringComparison.Ordinal);
        Assert.Contains("it is skipped", create.StandardError, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Outside, "victimdir", "keep.txt")));
        Assert.False(Directory.Exists(Path.Combine(Outside, "buildtrav")));
        Assert.False(Directory.Exists(Path.Combine(workspace.Root, "x")));
        Assert.Empty(workspace.CanaryChanges());

        // The rest of the channel still works.
        var healthy = Krait(["create", "-y", "-q", "-p", workspace.Prefix, .. Channel, "healthy"]);
        Assert.True(healthy.ExitCode == 0, healthy.StandardError);
    }

    [Fact]
    public void A_remote_record_keyed_with_a_path_never_reaches_the_package_cache()
    {
        WriteChannel("""
            "../../../x/remote.tar.bz2": {"name": "remote", "version": "1", "build": "0", "build_number": 0, "depends": [], "subdir": "noarch"}
            """);
        using var server = ChannelServer.Start(workspace.Root);

        var create = Krait(["create", "-y", "-p", workspace.Prefix, "-c", $"{server.Url}/channel", "--override-channels", "--platform", "linux-64", "remote"]);

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("../../../x/remote.tar.bz2", create.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workspace.Root, "x")));
        Assert.DoesNotContain(server.Requests, r => r.Path.Contains("remote", StringComparison.Ordinal));
    }

    [Fact]
    public void An_explicit_file_whose_url_escapes_a_path_is_refused()
    {
        var file = Path.Combine(workspace.Root, "env.txt");
        File.WriteAllText(file, $"@EXPLICIT\nfile://{workspace.Channel}/noarch/..%2F..%2Foutside%2Fvictimdir-1-0.tar.bz2\n");

        var create = Krait(["create", "-y", "-p", workspace.Prefix, "--file", file]);

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("is not <name>-<version>-<build>.conda or .tar.bz2", create.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.Prefix));
    }

    [Fact]
    public void A_spec_nested_a_hundred_thousand_parentheses_deep_is_an_error_not_a_crash()
    {
        WriteChannel(string.Empty);
        // Too long for one command-line argument (the kernel's limit is 128 KiB): a spec file carries it.
        var specs = Path.Combine(workspace.Root, "specs.txt");
        File.WriteAllText(specs, "healthy " + new string('(', 100_000) + "1.0" + new string(')', 100_000) + "\n");

        var create = Krait(["create", "--dry-run", "-p", workspace.Prefix, .. Channel, "--file", specs]);

        Assert.Equal(1, create.ExitCode);
        Assert.Contains("nested more than 64 deep", create.StandardError, StringComparison.Ordinal);
        Assert.True(create.StandardError.Length < 20_000, "the hostile spec is cut short in messages");
    }

    [Fact]
    public void A_dependency_nested_too_deep_leaves_out_only_its_record()
    {
        var deep = "healthy " + new string('(', 100_000) + "1.0" + new string(')', 100_000);
        WriteChannel($$"""
            "bomb-1-0.tar.bz2": {"name": "bomb", "version": "1", "build": "0", "build_number": 0, "depends": ["{{deep}}"], "subdir": "noarch"}
            """);

        var healthy = Krait(["create", "--dry-run", "-p", workspace.Prefix, .. Channel, "healthy"]);
        Assert.True(healthy.ExitCode == 0, healthy.StandardError);

        var bomb = Krait(["create", "--dry-run", "-p", workspace.Prefix, .. Channel, "bomb"]);
        Assert.Equal(1, bomb.ExitCode);
        Assert.Contains("bomb 1 cannot be installed: its metadata holds the unreadable spec", bomb.StandardError, StringComparison.Ordinal);
        Assert.Contains("warning: ", bomb.StandardError, StringComparison.Ordinal);
        Assert.True(bomb.StandardError.Length < 20_000, "the hostile spec is cut short in messages");
    }

    [Fact]
    public void Regexes_that_would_backtrack_for_ever_are_answered_and_unsupported_ones_refused()
    {
        WriteChannel($$"""
            "slow-1-{{new string('a', 60)}}.tar.bz2": {"name": "slow", "version": "1", "build": "{{new string('a', 60)}}", "build_number": 0, "depends": [], "subdir": "noarch"}
            """);

        var catastrophic = Krait(["search", .. Channel, "slow[build='^(a*)*b$']"]);
        Assert.Equal(1, catastrophic.ExitCode);
        Assert.Contains("not available from current channels", catastrophic.StandardError, StringComparison.Ordinal);

        var backreference = Krait(["search", .. Channel, @"slow[build='^(a)\1*$']"]);
        Assert.Equal(1, backreference.ExitCode);
        Assert.Contains("construct Krait does not run", backreference.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_starting_with_at_is_a_spec_not_a_response_file()
    {
        File.WriteAllText(Path.Combine(workspace.Root, "args"), "--help");

        var result = KraitProcess.Run(["create", "--dry-run", "-p", workspace.Prefix, "-c", workspace.Channel, "@args"], workingDirectory: workspace.Root);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("invalid spec '@args'", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repodata_json_that_is_a_fifo_is_refused_at_once()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        WriteChannel(string.Empty);
        var repodata = Path.Combine(workspace.Channel, "linux-64", "repodata.json");
        File.Delete(repodata);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [repodata]))
        {
            mkfifo.WaitForExit();
        }

        var search = Krait(["search", .. Channel, "healthy"]);

        Assert.Equal(1, search.ExitCode);
        Assert.Contains("is not a regular file", search.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_and_history_keep_local_paths_with_a_t_folder_intact()
    {
        var channel = Path.Combine(workspace.Root, "t", "abc", "channel");
        Directory.CreateDirectory(Path.GetDirectoryName(channel)!);
        WriteChannel(string.Empty);
        Directory.Move(workspace.Channel, channel);

        var create = Krait(["create", "-y", "-q", "-p", workspace.Prefix, "-c", channel, "--override-channels", "--platform", "linux-64", "healthy"]);
        Assert.True(create.ExitCode == 0, create.StandardError);
        var history = File.ReadAllText(Path.Combine(workspace.Prefix, "conda-meta", "history"));
        Assert.Contains($"-c {channel} --override-channels --platform linux-64 healthy", history, StringComparison.Ordinal);

        var missing = Krait(["search", "-c", channel, "--override-channels", "nothing-like-this"]);
        Assert.Contains("/t/abc/channel", missing.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("<TOKEN>", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Krait_info_never_shows_tokens_or_passwords_of_configured_channels()
    {
        var home = Path.Combine(workspace.Root, "home");
        Directory.CreateDirectory(home);
        var condarc = Path.Combine(home, "condarc");
        File.WriteAllText(condarc, "channels:\n  - https://alice:hunter2@repo.example.com/t/SeCrEtToKeN/private\n  - https://repo.example.com/t/OtherSecret/chan\n");
        var environment = new Dictionary<string, string> { ["CONDARC"] = condarc };

        foreach (var arguments in new[] { new[] { "info" }, ["info", "--json"] })
        {
            var info = KraitProcess.Run(arguments, environment);
            Assert.Equal(0, info.ExitCode);
            var all = info.StandardOutput + info.StandardError;
            Assert.DoesNotContain("hunter2", all, StringComparison.Ordinal);
            Assert.DoesNotContain("SeCrEtToKeN", all, StringComparison.Ordinal);
            Assert.DoesNotContain("OtherSecret", all, StringComparison.Ordinal);
            Assert.Contains("repo.example.com/t/<TOKEN>/private", all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_home_never_makes_krait_read_configuration_from_the_current_folder()
    {
        var here = Path.Combine(workspace.Root, "here");
        Directory.CreateDirectory(here);
        File.WriteAllText(Path.Combine(here, ".condarc"), "channels:\n  - planted-by-whoever-owns-this-folder\n");

        var info = KraitProcess.Run(["info", "--json"], new Dictionary<string, string> { ["HOME"] = Path.Combine(workspace.Root, "no-such-home") }, workingDirectory: here);

        Assert.Equal(0, info.ExitCode);
        Assert.DoesNotContain("planted-by-whoever", info.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(workspace.Root, "no-such-home", ".condarc"), info.StandardOutput, StringComparison.Ordinal);
    }
}
