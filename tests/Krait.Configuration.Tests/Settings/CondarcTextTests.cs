using Krait.Configuration.Settings;

namespace Krait.Configuration.Tests.Settings;

/// <summary>Editing a .condarc as a person would: the changed key's lines only, everything else (comments too) kept.</summary>
public sealed class CondarcTextTests
{
    private const string Original = """
        # my settings, by hand
        channel_priority: flexible   # loose on purpose

        # where packages come from
        channels:
        - bioconda
        - conda-forge

        custom_channels:
          internal: https://conda.example.org
        always_yes: true
        """;

    [Fact]
    public void Changing_one_key_rewrites_only_its_lines()
    {
        var file = CondarcText.Parse(Original, "condarc");
        file.SetSequence("channels", ["mine", "bioconda", "conda-forge"]);
        file.SetScalar("channel_priority", "strict");
        file.SetScalar("changeps1", "false");

        Assert.Equal("""
            # my settings, by hand
            channel_priority: strict   # loose on purpose

            # where packages come from
            channels:
              - mine
              - bioconda
              - conda-forge

            custom_channels:
              internal: https://conda.example.org
            always_yes: true
            changeps1: false

            """.ReplaceLineEndings("\n"), file.Text);
        Assert.Equal(["mine", "bioconda", "conda-forge"], file.Sequence("channels"));
        Assert.Equal("https://conda.example.org", file.Map("custom_channels")[0].Value);
    }

    [Fact]
    public void Removing_a_key_cuts_its_block_and_keeps_the_comment_that_introduces_the_next()
    {
        var file = CondarcText.Parse(Original, "condarc");
        file.RemoveKey("channel_priority");
        file.RemoveKey("custom_channels");
        Assert.False(file.Has("channel_priority"));
        Assert.Equal(["channels", "always_yes"], file.Keys);
        Assert.StartsWith("# my settings, by hand\n\n# where packages come from\nchannels:\n", file.Text, StringComparison.Ordinal);
        Assert.EndsWith("- conda-forge\n\nalways_yes: true\n", file.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_list_and_an_empty_file_are_edited_too_and_text_that_looks_like_yaml_is_quoted()
    {
        var flow = CondarcText.Parse("channels: [a, b]\nssl_verify: false\n", "condarc");
        flow.SetSequence("channels", ["b"]);
        Assert.Equal("channels:\n  - b\nssl_verify: false\n", flow.Text);

        var empty = CondarcText.Parse(string.Empty, "condarc");
        empty.SetScalar("channel_alias", "https://mirror.example.org: 8443");
        Assert.Equal("channel_alias: 'https://mirror.example.org: 8443'\n", empty.Text);
        Assert.Equal("https://mirror.example.org: 8443", empty.Scalar("channel_alias"));
    }

    [Fact]
    public void A_file_that_is_not_a_mapping_is_refused_with_where()
    {
        var error = Assert.Throws<ConfigException>(() => CondarcText.Parse("- just\n- a list\n", "/home/u/.condarc"));
        Assert.Contains("/home/u/.condarc", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("changeps1", "no", "false")]
    [InlineData("always_yes", "YES", "true")]
    [InlineData("channel_priority", "disabled", "disabled")]
    public void Values_are_checked_and_written_as_conda_reads_them(string key, string given, string written) =>
        Assert.Equal(written, ConfigParameters.Normalise(key, given));

    [Theory]
    [InlineData("changeps1", "maybe", "true or false")]
    [InlineData("channel_priority", "loose", "one of strict, flexible, disabled")]
    [InlineData("chanels", "x", "not a configuration parameter")]
    [InlineData("channels", "x", "is a list")]
    public void A_wrong_value_or_key_says_what_is_expected(string key, string given, string expected) =>
        Assert.Contains(expected, Assert.Throws<ConfigException>(() => ConfigParameters.Normalise(key, given)).Message, StringComparison.Ordinal);
}
