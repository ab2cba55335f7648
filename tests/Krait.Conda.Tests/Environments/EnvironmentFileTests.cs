using Krait.Conda.Environments;
namespace Krait.Conda.Tests.Environments;

public class EnvironmentFileTests
{
    [Fact]
    public void Reads_name_channels_dependencies_and_prefix()
    {
        var file = EnvironmentFile.Parse("""
            name: science
            channels:
              - conda-forge
              - nodefaults
            dependencies:
              - python=3.12
              - "numpy>=1.26"
              - conda-forge::pandas
            prefix: /envs/science
            """, "environment.yml");
        Assert.Equal("science", file.Name);
        Assert.Equal(["conda-forge", "nodefaults"], file.Channels);
        Assert.Equal(["python=3.12", "numpy>=1.26", "conda-forge::pandas"], file.Dependencies);
        Assert.Equal("/envs/science", file.Prefix);
    }

    [Fact]
    public void A_pip_section_is_reported_not_ignored()
    {
        var error = Assert.Throws<NotSupportedException>(() => EnvironmentFile.Parse("name: x\ndependencies:\n  - python\n  - pip:\n    - requests\n", "env.yml"));
        Assert.Contains("env.yml:4: the pip: section is not supported yet", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- a\n- b\n", "must be a mapping")]
    [InlineData("name: x\ndependencies: python\n", "'dependencies' must be a list")]
    [InlineData("name: x\ndependencies: [python\n", "invalid YAML")]
    [InlineData("a: [\nb: c\n", "env.yml:2:1: invalid YAML")] // YamlDotNet's scanner throws InvalidOperationException here
    [InlineData("name: x\ndependencies:\n  - {a: 1}\n", "must be strings")]
    public void Bad_files_name_the_line(string yaml, string reason)
    {
        var error = Assert.Throws<FormatException>(() => EnvironmentFile.Parse(yaml, "env.yml"));
        Assert.StartsWith("env.yml", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
