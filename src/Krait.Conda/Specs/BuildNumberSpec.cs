using System.Globalization;
using Krait.Conda.Versions;

namespace Krait.Conda.Specs;

/// <summary>A constraint on a build number: <c>3</c>, <c>==3</c>, <c>!=3</c>, <c>&gt;=1</c>, <c>&lt;5</c>….</summary>
public sealed class BuildNumberSpec
{
    private BuildNumberSpec(string text, VersionOperator @operator, long number)
    {
        Text = text;
        Operator = @operator;
        Number = number;
    }

    public string Text { get; }

    public VersionOperator Operator { get; }

    public long Number { get; }

    public bool IsExact => Operator == VersionOperator.Equal;

    /// <summary>Parses a build-number constraint; throws <see cref="FormatException"/> with the reason.</summary>
    public static BuildNumberSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var (@operator, length) = trimmed switch
        {
            _ when trimmed.StartsWith("==", StringComparison.Ordinal) => (VersionOperator.Equal, 2),
            _ when trimmed.StartsWith("!=", StringComparison.Ordinal) => (VersionOperator.NotEqual, 2),
            _ when trimmed.StartsWith(">=", StringComparison.Ordinal) => (VersionOperator.GreaterOrEqual, 2),
            _ when trimmed.StartsWith("<=", StringComparison.Ordinal) => (VersionOperator.LessOrEqual, 2),
            _ when trimmed.StartsWith('>') => (VersionOperator.Greater, 1),
            _ when trimmed.StartsWith('<') => (VersionOperator.Less, 1),
            _ when trimmed.StartsWith('=') => (VersionOperator.Equal, 1),
            _ => (VersionOperator.Equal, 0),
        };

        var digits = trimmed.AsSpan(length).Trim();
        if (digits.IsEmpty || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"invalid build number spec '{text}': expected an optional operator (==, !=, <, <=, >, >=) and a whole number");
        }

        return new BuildNumberSpec(trimmed, @operator, number);
    }

    public bool Matches(long buildNumber) => Operator switch
    {
        VersionOperator.Equal => buildNumber == Number,
        VersionOperator.NotEqual => buildNumber != Number,
        VersionOperator.Less => buildNumber < Number,
        VersionOperator.LessOrEqual => buildNumber <= Number,
        VersionOperator.Greater => buildNumber > Number,
        _ => buildNumber >= Number,
    };

    public override string ToString() => Text;
}
