using Krait.Build.Recipes;
using Krait.Build.Recipes.Expressions;

namespace Krait.Build.Tests;

public class ExpressionTests
{
    private static readonly Dictionary<string, string> Variant = new() { ["python"] = "3.11", ["c_compiler"] = "gcc", ["c_compiler_version"] = "13" };

    private static object? Evaluate(string text, string platform = "linux-64")
    {
        var scope = new RecipeScope(Variant, platform);
        scope.Define("version", "1.2.3");
        scope.Define("name", "LibFoo");
        scope.Define("items", new List<object?> { "a", "b" });
        return Expression.Parse(text).Evaluate(scope);
    }

    [Theory]
    [InlineData("version.split('.')[0]", "1")]
    [InlineData("version.split('.')[-1]", "3")]
    [InlineData("name | lower", "libfoo")]
    [InlineData("name ~ '-' ~ version", "LibFoo-1.2.3")]
    [InlineData("name.replace('Lib', 'lib') ~ version | version_to_buildstring", "libFoo12")]
    [InlineData("version | split('.') | join('_')", "1_2_3")]
    [InlineData("'x' if linux else 'y'", "x")]
    [InlineData("compiler('c')", "gcc_linux-64 13.*")]
    [InlineData("compiler('cxx')", "gxx_linux-64")]
    [InlineData("items | first", "a")]
    [InlineData("target_platform", "linux-64")]
    public void Recipes_expressions_evaluate_as_in_rattler_build(string text, string expected) =>
        Assert.Equal(expected, Values.Text(Evaluate(text)));

    [Theory]
    [InlineData("linux and x86_64", true)]
    [InlineData("unix and not osx", true)]
    [InlineData("win or aarch64", false)]
    [InlineData("python == '3.11'", true)]
    [InlineData("match(python, '>=3.10')", true)]
    [InlineData("match(python, '<3.10')", false)]
    [InlineData("'a' in items and 'c' not in items", true)]
    [InlineData("1 + 2 * 3 == 7", true)]
    [InlineData("win and undefined_name", false)] // short-circuit: the other platform's names are never looked up
    public void Conditions_follow_jinja_precedence_and_short_circuit(string text, bool expected) =>
        Assert.Equal(expected, Values.IsTrue(Evaluate(text)));

    [Fact]
    public void Platform_names_follow_the_target()
    {
        Assert.True(Values.IsTrue(Evaluate("win and x86_64", "win-64")));
        Assert.True(Values.IsTrue(Evaluate("osx and arm64 and unix", "osx-arm64")));
        var noVariant = new Dictionary<string, string>();
        Assert.Equal("clang_osx-arm64", Expression.Parse("compiler('c')").Evaluate(new RecipeScope(noVariant, "osx-arm64")));
        Assert.Equal("vs2019_win-64", Expression.Parse("compiler('c')").Evaluate(new RecipeScope(noVariant, "win-64")));
        Assert.Equal("sysroot_linux-64", Expression.Parse("stdlib('c')").Evaluate(new RecipeScope(noVariant, "linux-64")));
    }

    [Theory]
    [InlineData("nope", "'nope' is not defined", 0)]
    [InlineData("version.split('.'", "')' expected at the end", 17)]
    [InlineData("version | frobnicate", "unknown filter 'frobnicate'", 10)]
    [InlineData("'abc", "a string is not closed", 0)]
    [InlineData("version @ 2", "unexpected character '@'", 8)]
    [InlineData("pin_subpackage('x', upper='x.x')", "pin_subpackage() has no argument 'upper'", 14)]
    [InlineData("compiler('cobol')", "no cobol_compiler in the variant configuration", 8)]
    public void Bad_expressions_say_what_and_where(string text, string message, int offset)
    {
        var error = Assert.Throws<ExpressionException>(() => Evaluate(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void The_variant_keys_an_expression_reads_are_recorded()
    {
        var scope = new RecipeScope(Variant, "linux-64");
        Expression.Parse("compiler('c') ~ python").Evaluate(scope);
        Assert.Equal(["c_compiler", "c_compiler_version", "python"], scope.UsedVariantKeys);
    }

    [Theory]
    [InlineData("pin_subpackage('foo')", "1.2.3", "foo >=1.2.3,<2.0a0")]
    [InlineData("pin_subpackage('foo', upper_bound='x.x')", "1.2.3", "foo >=1.2.3,<1.3.0a0")]
    [InlineData("pin_subpackage('foo', lower_bound='x.x', upper_bound='x.x.x')", "1.2.3", "foo >=1.2,<1.2.4.0a0")]
    [InlineData("pin_subpackage('foo', upper_bound='x.x')", "9", "foo >=9,<9.1.0a0")]
    [InlineData("pin_compatible('foo', lower_bound=None, upper_bound='3.0')", "1.2.3", "foo <3.0")]
    [InlineData("pin_subpackage('foo', exact=True)", "1.2.3", "foo ==1.2.3 h123_0")]
    public void Pins_resolve_against_the_version_they_follow(string text, string version, string expected)
    {
        var pin = Assert.IsType<PinRequest>(Evaluate(text));
        Assert.Equal(expected, pin.Resolve(version, "h123_0"));
    }
}
