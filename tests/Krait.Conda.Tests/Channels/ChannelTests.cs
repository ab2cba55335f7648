using Krait.Conda.Channels;
using Krait.Conda.Parsing;
namespace Krait.Conda.Tests.Channels;

public class ChannelTests
{
    [Theory]
    [InlineData("conda-forge", "https://conda.anaconda.org/conda-forge", "conda-forge", null)]
    [InlineData("bioconda/label/dev", "https://conda.anaconda.org/bioconda/label/dev", "bioconda/label/dev", null)]
    [InlineData("conda-forge/linux-64", "https://conda.anaconda.org/conda-forge", "conda-forge", "linux-64")]
    [InlineData("https://conda.anaconda.org/conda-forge/", "https://conda.anaconda.org/conda-forge", "conda-forge", null)]
    [InlineData("https://conda.anaconda.org/conda-forge/osx-arm64", "https://conda.anaconda.org/conda-forge", "conda-forge", "osx-arm64")]
    [InlineData("https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/main", null)]
    public void Parses_names_and_urls_like_conda(string text, string baseUrl, string name, string? platform)
    {
        var channel = Channel.Parse(text);
        Assert.Equal(baseUrl, channel.BaseUrl);
        Assert.Equal(name, channel.Name);
        Assert.Equal(platform, channel.Platform);
        Assert.False(channel.IsLocal);
        Assert.Equal($"{baseUrl}/noarch", channel.SubdirUrl("noarch"));
    }

    [Fact]
    public void Paths_and_file_urls_are_local_and_absolute()
    {
        var root = Path.Combine(Path.GetTempPath(), "krait chan");
        var relative = Channel.Parse("./examples/channel", paths: new PathContext("/home/user", "/work/repo"));
        Assert.True(relative.IsLocal);
        Assert.Equal("/work/repo/examples/channel", relative.LocalPath);
        Assert.Equal("file:///work/repo/examples/channel", relative.BaseUrl);
        Assert.Equal(relative.BaseUrl, relative.Name);

        var absolute = Channel.Parse(root + "/linux-64");
        Assert.Equal(root, absolute.LocalPath);
        Assert.Equal("linux-64", absolute.Platform);
        Assert.Equal(new Uri(root).AbsoluteUri, absolute.BaseUrl);

        var fileUrl = Channel.Parse(new Uri(root).AbsoluteUri);
        Assert.Equal(root, fileUrl.LocalPath);

        var home = Channel.Parse("~/chan", paths: new PathContext("/home/user", "/work/repo"));
        Assert.Equal("/home/user/chan", home.LocalPath);

        // The model reads no process state: a relative path with nothing to resolve it against is refused, not guessed.
        Assert.Contains("relative path", Assert.Throws<ArgumentException>(() => Channel.Parse("./examples/channel")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Channel.Parse("~/chan"));
        var spec = Krait.Conda.Specs.MatchSpec.Parse("./pkgs/zlib-1.2-0.conda", new PathContext("/home/user", "/work/repo"));
        Assert.Equal("file:///work/repo/pkgs/zlib-1.2-0.conda", spec.Url);

        // conda reads "examples/channel" (no leading ./) as a channel name under the alias, and so does Krait.
        Assert.False(Channel.Parse("examples/channel").IsLocal);
    }

    [Fact]
    public void Tokens_are_used_for_requests_but_never_shown()
    {
        var channel = Channel.Parse("https://repo.example.com/t/sEcReT-123/private/linux-64");
        Assert.Equal("sEcReT-123", channel.Token);
        Assert.Equal("https://repo.example.com/private", channel.BaseUrl);
        Assert.Equal("linux-64", channel.Platform);
        Assert.DoesNotContain("sEcReT", channel.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sEcReT", channel.SubdirUrl("noarch"), StringComparison.Ordinal);
        Assert.Equal("https://repo.example.com/t/sEcReT-123/private/noarch", channel.SubdirUrl("noarch", withToken: true));
        Assert.Equal("see https://h/t/<TOKEN>/c/noarch and https://h/t/<TOKEN>", Channel.Redact("see https://h/t/abc/c/noarch and https://h/t/def"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("https://")]
    [InlineData("https://host/t//chan")]
    [InlineData("conda forge")]
    [InlineData("file://relative")]
    public void Rejects_what_is_not_a_channel(string text)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Channel.Parse(text));
        Assert.Contains("channel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redaction_also_covers_invalid_urls_in_messages()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Channel.Parse("https://host/t//chan"));
        Assert.DoesNotContain("/t//", error.Message, StringComparison.Ordinal);
    }
}
