using System.Text;
using System.Text.Json;
using Krait.Conda.Parsing;

namespace Krait.Conda.Tests.Parsing;

public sealed class JsonErrorsTests
{
    [Fact]
    public void A_json_error_names_the_file_line_and_column()
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse("{\n  \"name\": \"x\",, }"));
        Assert.Equal("meta.json:2:15: invalid JSON: ',' is an invalid start of a property name. Expected a '\"'.", JsonErrors.Describe(error, "meta.json"));
    }

    [Theory]
    [InlineData("abc", 0, 1, 1)]
    [InlineData("abc", 2, 1, 3)]
    [InlineData("ab\ncd", 3, 2, 1)]
    [InlineData("ab\ncd\nef", 7, 3, 2)]
    [InlineData("ab", 99, 1, 3)]
    public void A_byte_offset_becomes_a_line_and_column(string text, long offset, long line, long column) =>
        Assert.Equal((line, column), JsonErrors.LineAndColumn(Encoding.UTF8.GetBytes(text), offset));
}
