using System.Text.RegularExpressions;

namespace Krait.Conda.Versions;

/// <summary>
/// A version matched as text: a glob with <c>*</c> inside (<c>1.*.3</c>), a regex (<c>^1\.[0-9]+$</c>), or
/// conda's exact-string form for versions containing <c>@</c>.
/// </summary>
public sealed class PatternVersionSpec : VersionSpec
{
    private readonly string text;
    private readonly Regex? regex;
    private readonly string? exactText;

    private PatternVersionSpec(string text, Regex? regex, string? exactText)
    {
        this.text = text;
        this.regex = regex;
        this.exactText = exactText;
    }

    internal static PatternVersionSpec FromRegex(string text, Regex regex) => new(text, regex, null);

    internal static PatternVersionSpec FromExactText(string text) => new(text, null, text);

    public override bool Matches(Version version) =>
        regex is not null ? regex.IsMatch(version.Text) : string.Equals(version.Text, exactText, StringComparison.Ordinal);

    public override string ToString() => text;
}
