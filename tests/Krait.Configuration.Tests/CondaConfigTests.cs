using Krait.Conda.Channels;
using Krait.TestSupport;
namespace Krait.Configuration.Tests;

public class CondaConfigTests
{
    [Fact]
    public void Later_files_win_for_scalars_and_come_first_in_lists()
    {
        var config = new CondaConfig();
        config.Merge("channels:\n  - defaults\n  - bioconda\nchannel_priority: flexible\npkgs_dirs: [/a]\n", "system");
        config.Merge("channels:\n  - conda-forge\n  - bioconda\nchannel_priority: strict\nchannel_alias: https://mirror.example\n", "user");
        Assert.Equal(["conda-forge", "bioconda", "defaults"], config.Channels);
        Assert.Equal("strict", config.ChannelPriority);
        Assert.Equal("https://mirror.example", config.ChannelAlias);
        Assert.Equal(["/a"], config.PkgsDirs);
        Assert.Equal(["system", "user"], config.FilesRead);
    }

    [Fact]
    public void Custom_channels_and_proxy_servers_merge_key_by_key_and_name_where_channels_live()
    {
        var config = new CondaConfig();
        config.Merge("custom_channels:\n  internal: https://repo.corp.example/t/tok-1/conda\n  other: https://a.example\nproxy_servers:\n  http: http://proxy:3128\n", "system");
        config.Merge("custom_channels:\n  other: https://b.example\n", "user");
        Assert.Equal("https://b.example", config.CustomChannels["other"]);
        Assert.Equal("http://proxy:3128", config.ProxyServers["http"]);

        var channel = Channel.Parse("internal/label/dev", config.ChannelAlias, config.CustomChannels);
        Assert.Equal("internal/label/dev", channel.Name);
        Assert.Equal("https://repo.corp.example/conda/internal/label/dev", channel.BaseUrl);
        Assert.Equal("tok-1", channel.Token);
        Assert.Equal("https://conda.anaconda.org/conda-forge", Channel.Parse("conda-forge", config.ChannelAlias, config.CustomChannels).BaseUrl);

        Assert.Throws<ConfigException>(() => config.Merge("custom_channels: [a, b]\n", "bad"));
    }

    [Fact]
    public void Environment_variables_override_files_and_krait_ones_override_condas()
    {
        using var home = new TempFolder("envvars");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, ".condarc"), "channel_priority: strict\nssl_verify: true\nchannels: [defaults]\n");
        var variables = new Dictionary<string, string>
        {
            ["CONDA_CHANNEL_PRIORITY"] = "flexible",
            ["CONDA_SSL_VERIFY"] = "/etc/ca.pem",
            ["KRAIT_SSL_VERIFY"] = "false",
            ["CONDA_CHANNELS"] = "conda-forge, bioconda",
        };
        var config = CondaConfig.Load(name => variables.GetValueOrDefault(name), home);
        Assert.Equal("flexible", config.ChannelPriority);
        Assert.Equal("false", config.Scalar("ssl_verify"));
        Assert.Equal(["conda-forge", "bioconda"], config.Channels);
    }

    [Fact]
    public void Passwords_in_urls_are_redacted_and_kept_out_of_the_channel_url()
    {
        Assert.Equal("https://bob:<PASSWORD>@repo.example/chan/t/<TOKEN>/x", Channel.Redact("https://bob:s3cret@repo.example/chan/t/tok/x"));
        var channel = Channel.Parse("https://bob:s3cret@repo.example/private");
        Assert.Equal("https://repo.example/private", channel.BaseUrl);
        Assert.Equal("bob:s3cret", channel.UserInfo);
        Assert.Equal("https://bob:s3cret@repo.example/private/noarch", channel.SubdirUrl("noarch", withToken: true));
        Assert.Equal("https://repo.example/private/noarch", channel.SubdirUrl("noarch"));
    }

    [Fact]
    public void Defaults_apply_when_nothing_is_set()
    {
        var config = new CondaConfig();
        config.Merge(string.Empty, "empty");
        Assert.Empty(config.Channels);
        Assert.Equal("strict", config.ChannelPriority);
        Assert.Equal(Channel.DefaultChannelAlias, config.ChannelAlias);
    }

    [Theory]
    [InlineData("channels: [a, b\n", "invalid YAML")]
    [InlineData("- a\n- b\n", "must be a mapping")]
    [InlineData("channels: conda-forge\n", "'channels' must be a list")]
    [InlineData("channels:\n  - {a: b}\n", "must be strings")]
    public void Bad_files_are_reported_with_file_and_line(string yaml, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => new CondaConfig().Merge(yaml, "/home/u/.condarc"));
        Assert.StartsWith("/home/u/.condarc:", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loads_the_search_path_in_condas_order_including_condarc_d()
    {
        using var home = new TempFolder("cfg");
        Directory.CreateDirectory(Path.Combine(home, ".conda", "condarc.d"));
        File.WriteAllText(Path.Combine(home, ".conda", "condarc.d", "b.yml"), "channels: [from-b]\n");
        File.WriteAllText(Path.Combine(home, ".conda", "condarc.d", "a.yaml"), "channels: [from-a]\n");
        File.WriteAllText(Path.Combine(home, ".condarc"), "channels: [from-home]\n");
        var explicitFile = Path.Combine(home, "explicit.yml");
        File.WriteAllText(explicitFile, "channels: [from-condarc-variable]\n");
        var environment = new Dictionary<string, string> { ["CONDARC"] = explicitFile };

        var config = CondaConfig.Load(name => environment.GetValueOrDefault(name), home);

        Assert.Equal(["from-condarc-variable", "from-home", "from-b", "from-a"], config.Channels);
        Assert.Equal(explicitFile, config.FilesRead[^1]);
    }

    [Fact]
    public void Locations_come_from_variables_then_config_then_defaults()
    {
        var config = new CondaConfig();
        config.Merge("pkgs_dirs: [~/cache]\nenvs_dirs: [/envs]\n", "rc");
        var none = new Dictionary<string, string>();
        var fromConfig = KraitLocations.Resolve(config, name => none.GetValueOrDefault(name), "/home/u");
        Assert.Equal("/home/u/.krait", fromConfig.RootPrefix);
        Assert.Equal(["/home/u/cache"], fromConfig.PkgsDirs);
        Assert.Equal(["/envs"], fromConfig.EnvsDirs);

        var variables = new Dictionary<string, string> { ["CONDA_PKGS_DIRS"] = "/p1,/p2", ["KRAIT_ROOT_PREFIX"] = "/opt/krait" };
        var fromVariables = KraitLocations.Resolve(new CondaConfig(), name => variables.GetValueOrDefault(name), "/home/u");
        Assert.Equal(["/p1", "/p2"], fromVariables.PkgsDirs);
        Assert.Equal("/opt/krait", fromVariables.RootPrefix);
        Assert.Equal(["/opt/krait/envs"], fromVariables.EnvsDirs);
    }

    [Fact]
    public void Flags_read_as_yaml_writes_them_and_refuse_anything_else()
    {
        var config = new CondaConfig();
        Assert.True(config.ChangePrompt);
        Assert.True(config.AddPipAsPythonDependency);
        config.Merge("changeps1: False\nadd_pip_as_python_dependency: no\nauto_stack: maybe\npinned_packages:\n  - python 3.12.*\n", "user");
        Assert.False(config.ChangePrompt);
        Assert.False(config.AddPipAsPythonDependency);
        Assert.Equal(["python 3.12.*"], config.PinnedPackages);
        var error = Assert.Throws<ConfigException>(() => config.Flag("auto_stack", defaultValue: false));
        Assert.Contains("auto_stack: 'maybe'", error.Message, StringComparison.Ordinal);
    }
}
