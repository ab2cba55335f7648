using System.Globalization;
using System.Text;
using Krait.Build.Recipes.Expressions;

namespace Krait.Build.Recipes;

/// <summary>Which package a pin follows: another output of this recipe, or what the host environment got.</summary>
public enum PinKind
{
    Subpackage,
    Compatible,
}

/// <summary>
/// <c>pin_subpackage(name, …)</c> or <c>pin_compatible(name, …)</c>: a requirement known only once the version it
/// follows is (the output's, or the host environment's). <c>lower_bound</c> and <c>upper_bound</c> are either
/// <c>x.x…</c> patterns (as many parts of the version) or literal versions; <c>exact</c> pins version and build.
/// </summary>
public sealed record PinRequest(PinKind Kind, string Name, string? LowerBound, string? UpperBound, bool Exact)
{
    /// <summary>rattler-build's defaults: from the version itself, up to the next major version.</summary>
    public const string DefaultLowerBound = "x.x.x.x.x.x";

    public const string DefaultUpperBound = "x";

    internal static PinRequest From(PinKind kind, CallArguments arguments)
    {
        var function = kind == PinKind.Subpackage ? "pin_subpackage" : "pin_compatible";
        arguments.Allow(function, "name", "lower_bound", "upper_bound", "exact", "max_pin", "min_pin");
        var name = arguments.RequireString(0, "name", function);
        var exact = Values.IsTrue(arguments.Get(-1, "exact"));
        var lower = Bound(arguments, "lower_bound", "min_pin", DefaultLowerBound, function);
        var upper = Bound(arguments, "upper_bound", "max_pin", DefaultUpperBound, function);
        return new PinRequest(kind, name, lower, upper, exact);
    }

    /// <summary>The requirement for <see cref="Name"/> at <paramref name="version"/> (and <paramref name="build"/> when exact).</summary>
    public string Resolve(string version, string? build)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (Exact)
        {
            return build is null ? $"{Name} =={version}" : $"{Name} =={version} {build}";
        }

        var parts = new List<string>();
        if (LowerBound is not null)
        {
            parts.Add(">=" + (IsPattern(LowerBound) ? Truncate(version, LowerBound.Split('.').Length) : LowerBound));
        }

        if (UpperBound is not null)
        {
            parts.Add("<" + (IsPattern(UpperBound) ? Increment(version, UpperBound.Split('.').Length) : UpperBound));
        }

        return parts.Count == 0 ? Name : $"{Name} {string.Join(',', parts)}";
    }

    public override string ToString()
    {
        var text = new StringBuilder($"{(Kind == PinKind.Subpackage ? "pin_subpackage" : "pin_compatible")}('{Name}'");
        text.Append(Exact ? ", exact=true" : $", lower_bound={Show(LowerBound)}, upper_bound={Show(UpperBound)}");
        return text.Append(')').ToString();
    }

    private static string Show(string? bound) => bound is null ? "none" : $"'{bound}'";

    private static string? Bound(CallArguments arguments, string name, string legacyName, string fallback, string function)
    {
        var given = arguments.Named.TryGetValue(name, out var value) ? value : arguments.Named.TryGetValue(legacyName, out var legacy) ? legacy : fallback;
        return given switch
        {
            null => null,
            string text when text.Length > 0 && (IsPattern(text) || text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_')) => text,
            _ => throw new ExpressionException($"{function}(): {name} must be an x.x pattern, a version or none", arguments.Offset),
        };
    }

    private static bool IsPattern(string bound) => bound.Split('.').All(p => p is "x" or "X");

    private static string Truncate(string version, int count) => string.Join('.', version.Split('.').Take(count));

    /// <summary>The first <paramref name="count"/> parts with the last counted up, then <c>.0a0</c> (<c>1.2.3</c>, x.x → <c>1.3.0a0</c>), the lowest pre-release of the next version.</summary>
    private static string Increment(string version, int count)
    {
        var parts = version.Split('.').Take(count).ToList();
        while (parts.Count < count)
        {
            parts.Add("0");
        }

        var last = parts[^1];
        var digits = new string([.. last.TakeWhile(char.IsAsciiDigit)]);
        parts[^1] = digits.Length == 0 ? "1" : (long.Parse(digits, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
        return string.Join('.', parts) + ".0a0";
    }
}
