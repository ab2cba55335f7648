using Krait.Conda.Channels;

namespace Krait.Conda.Tests.Channels;

/// <summary>Redaction by each URL's structure: the token segment and the password go, everything else stays.</summary>
public sealed class UrlRedactionTests
{
    [Theory]
    [InlineData("https://repo.example/t/abc123/chan/noarch", "https://repo.example/t/<TOKEN>/chan/noarch")]
    [InlineData("https://bob:s3cret@repo.example/chan", "https://bob:<PASSWORD>@repo.example/chan")]
    [InlineData("https://repo.example/prefix/t/abc/chan", "https://repo.example/prefix/t/<TOKEN>/chan")]
    [InlineData("https://repo.example/chan?x=1#t", "https://repo.example/chan?x=1#t")]
    [InlineData("file:///home/me/t/abc/chan", "file:///home/me/t/abc/chan")]
    [InlineData("/home/me/t/abc/chan", "/home/me/t/abc/chan")]
    [InlineData("krait install -c https://h/t/TOKEN/chan numpy scipy", "krait install -c https://h/t/<TOKEN>/chan numpy scipy")]
    [InlineData("krait install -c /data/t/x/chan numpy", "krait install -c /data/t/x/chan numpy")]
    [InlineData("error: 'https://u:p@h/t/k/c' and 'https://h/t/k2': 404", "error: 'https://u:<PASSWORD>@h/t/<TOKEN>/c' and 'https://h/t/<TOKEN>': 404")]
    [InlineData("no urls here: a://", "no urls here: a://")]
    public void Hides_tokens_and_passwords_and_nothing_else(string text, string expected) => Assert.Equal(expected, Channel.Redact(text));
}
