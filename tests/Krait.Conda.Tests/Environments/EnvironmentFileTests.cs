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
    public void The_pip_section_keeps_its_lines_in_order_beside_the_conda_dependencies()
    {
        var file = EnvironmentFile.Parse("""
            name: x
            dependencies:
              - python=3.11
              - pip
              - pip:
                  - --index-url https://pypi.example/simple
                  - requests==2.32.3
                  - -e ./local
              - zlib
            """, "env.yml");
        Assert.Equal(["python=3.11", "pip", "zlib"], file.Dependencies);
        Assert.Equal(["--index-url https://pypi.example/simple", "requests==2.32.3", "-e ./local"], file.PipRequirements);
        Assert.Empty(EnvironmentFile.Parse("name: x\ndependencies:\n  - python\n", "env.yml").PipRequirements);
    }

    [Theory]
    [InlineData("- a\n- b\n", "must be a mapping")]
    [InlineData("name: x\ndependencies: python\n", "'dependencies' must be a list")]
    [InlineData("name: x\ndependencies: [python\n", "invalid YAML")]
    [InlineData("a: [\nb: c\n", "env.yml:2:1: invalid YAML")] // YamlDotNet's scanner throws InvalidOperationException here
    [InlineData("name: x\ndependencies:\n  - {a: 1}\n", "env.yml:3: 'a:' in dependencies is not understood")]
    [InlineData("name: x\ndependencies:\n  - pip: requests\n", "env.yml:3: 'pip:' must be a list")]
    [InlineData("name: x\ndependencies:\n  - pip:\n    - [a]\n", "env.yml:4: the entries of 'pip:' must be strings")]
    [InlineData("name: x\ndependencies:\n  - pip: [a]\n  - pip: [b]\n", "env.yml:4: a second 'pip:' section")]
    [InlineData("name: x\nchannels:\n  - pip: [a]\n", "the entries of 'channels' must be strings")]
    public void Bad_files_name_the_line(string yaml, string reason)
    {
        var error = Assert.Throws<FormatException>(() => EnvironmentFile.Parse(yaml, "env.yml"));
        Assert.StartsWith("env.yml", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
