namespace Krait.Conda.Versions;

/// <summary>Turns version text into conda's component lists, reporting the first problem with its position.</summary>
internal static class VersionParser
{
    private static readonly VersionAtom Dev = VersionAtom.FromText("DEV");

    // Words that recur across real channels; sharing them keeps parsed versions small.
    private static readonly Dictionary<string, VersionAtom> CommonWords = new(StringComparer.Ordinal)
    {
        ["a"] = VersionAtom.FromText("a"),
        ["b"] = VersionAtom.FromText("b"),
        ["rc"] = VersionAtom.FromText("rc"),
        ["alpha"] = VersionAtom.FromText("alpha"),
        ["beta"] = VersionAtom.FromText("beta"),
        ["_"] = VersionAtom.FromText("_"),
        ["*"] = VersionAtom.FromText("*"),
    };

    private static readonly VersionAtom[] EpochZero = [VersionAtom.Zero];

    public static Version? Parse(string input, out InvalidVersionException? error)
    {
        error = null;
        var offset = 0;
        while (offset < input.Length && char.IsWhiteSpace(input[offset]))
        {
            offset++;
        }

        var trimmed = input.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            error = new InvalidVersionException(input, 0, "empty version string");
            return null;
        }

        Span<char> buffer = trimmed.Length <= 256 ? stackalloc char[trimmed.Length] : new char[trimmed.Length];
        var hasDash = false;
        var hasUnderscore = false;
        var firstDash = -1;
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c is >= 'A' and <= 'Z')
            {
                c = (char)(c + 32);
            }

            if (c == '-')
            {
                hasDash = true;
                firstDash = firstDash < 0 ? i : firstDash;
            }
            else if (c == '_')
            {
                hasUnderscore = true;
            }
            else if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '+' or '!' or '*'))
            {
                error = new InvalidVersionException(input, offset + i, $"invalid character '{trimmed[i]}'");
                return null;
            }

            buffer[i] = c;
        }

        if (hasDash)
        {
            if (hasUnderscore)
            {
                error = new InvalidVersionException(input, offset + firstDash, "'-' is allowed only in versions without '_'");
                return null;
            }

            buffer.Replace('-', '_');
        }

        ReadOnlySpan<char> text = buffer;
        VersionAtom[] epoch = EpochZero;
        var bang = text.IndexOf('!');
        var mainStart = 0;
        if (bang >= 0)
        {
            var second = text[(bang + 1)..].IndexOf('!');
            if (second >= 0)
            {
                error = new InvalidVersionException(input, offset + bang + 1 + second, "duplicated epoch separator '!'");
                return null;
            }

            var epochText = text[..bang];
            if (epochText.IsEmpty || !IsAllDigits(epochText))
            {
                error = new InvalidVersionException(input, offset, "the epoch (before '!') must be an integer");
                return null;
            }

            epoch = [VersionAtom.FromDigits(epochText)];
            mainStart = bang + 1;
        }

        var plus = text[mainStart..].IndexOf('+');
        var mainEnd = text.Length;
        VersionAtom[][] local = [];
        if (plus >= 0)
        {
            plus += mainStart;
            var second = text[(plus + 1)..].IndexOf('+');
            if (second >= 0)
            {
                error = new InvalidVersionException(input, offset + plus + 1 + second, "duplicated local version separator '+'");
                return null;
            }

            mainEnd = plus;
            local = SplitComponents(input, text, plus + 1, text.Length, offset, trailingUnderscore: false, out error)!;
            if (error is not null)
            {
                return null;
            }
        }

        // openssl-style versions: a trailing '_' (or '-') stays attached to the last component instead of splitting.
        var trailingUnderscore = mainEnd > mainStart && text[mainEnd - 1] == '_';
        var main = SplitComponents(input, text, mainStart, trailingUnderscore ? mainEnd - 1 : mainEnd, offset, trailingUnderscore, out error);
        if (main is null)
        {
            return null;
        }

        var segments = new VersionAtom[main.Length + 1][];
        segments[0] = epoch;
        main.CopyTo(segments, 1);
        return Version.Create(input, segments, local);
    }

    private static VersionAtom[][]? SplitComponents(
        string input, ReadOnlySpan<char> text, int start, int end, int offset, bool trailingUnderscore, out InvalidVersionException? error)
    {
        error = null;
        var count = 1;
        for (var i = start; i < end; i++)
        {
            if (text[i] is '.' or '_')
            {
                count++;
            }
        }

        var components = new VersionAtom[count][];
        var componentStart = start;
        var index = 0;
        for (var i = start; i <= end; i++)
        {
            if (i < end && text[i] is not ('.' or '_'))
            {
                continue;
            }

            var component = text[componentStart..i];
            var isLast = i == end;
            if (component.IsEmpty && !(isLast && trailingUnderscore && index > 0))
            {
                error = new InvalidVersionException(input, offset + Math.Min(i, text.Length - 1), "empty version component");
                return null;
            }

            components[index++] = SplitAtoms(component, isLast && trailingUnderscore);
            componentStart = i + 1;
        }

        return components;
    }

    /// <summary>Splits one component into runs of digits, of '*' and of other characters (conda's component rule).</summary>
    private static VersionAtom[] SplitAtoms(ReadOnlySpan<char> component, bool appendUnderscore)
    {
        var atoms = new List<VersionAtom>(4);
        if (component.IsEmpty || !char.IsAsciiDigit(component[0]))
        {
            // Components start with a number so that numbers and words stay in phase.
            atoms.Add(VersionAtom.Zero);
        }

        var i = 0;
        while (i < component.Length)
        {
            var runStart = i;
            var kind = RunKind(component[i]);
            while (i < component.Length && RunKind(component[i]) == kind)
            {
                i++;
            }

            var run = component[runStart..i];
            if (kind == 0)
            {
                atoms.Add(VersionAtom.FromDigits(run));
            }
            else if (appendUnderscore && i == component.Length && kind == 2)
            {
                atoms.Add(Word(string.Concat(run, "_")));
                appendUnderscore = false;
            }
            else
            {
                atoms.Add(Word(run));
            }
        }

        if (appendUnderscore)
        {
            atoms.Add(Word("_"));
        }

        return [.. atoms];
    }

    private static int RunKind(char c) => char.IsAsciiDigit(c) ? 0 : c == '*' ? 1 : 2;

    private static VersionAtom Word(ReadOnlySpan<char> run)
    {
        if (run.SequenceEqual("post"))
        {
            return VersionAtom.Post;
        }

        if (run.SequenceEqual("dev"))
        {
            return Dev;
        }

        var lookup = CommonWords.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(run, out var common) ? common : VersionAtom.FromText(run.ToString());
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
