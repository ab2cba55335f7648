using System.Text;

namespace Krait.Build.Recipes.Expressions;

/// <summary>Splits the text inside <c>${{ … }}</c> into tokens: names, quoted strings, numbers and operators.</summary>
internal static class Lexer
{
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "(", ")", "[", "]", ",", ".", "|", "~", "+", "-", "*", "/", "<", ">", "="];

    public static List<Token> Read(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, i));
                return tokens;
            }

            var c = text[i];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                var isFloat = i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]);
                if (isFloat)
                {
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text[start..i], start));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(new Token(TokenKind.String, ReadString(text, ref i), i));
            }
            else if (Array.Find(Symbols, s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0) is { } symbol)
            {
                tokens.Add(new Token(TokenKind.Symbol, symbol, i));
                i += symbol.Length;
            }
            else
            {
                throw new ExpressionException($"unexpected character '{c}'", i);
            }
        }
    }

    private static string ReadString(string text, ref int i)
    {
        var quote = text[i];
        var start = i++;
        var value = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(text[i] switch { 'n' => '\n', 't' => '\t', var other => other });
            }
            else
            {
                value.Append(text[i]);
            }

            i++;
        }

        if (i == text.Length)
        {
            throw new ExpressionException("a string is not closed", start);
        }

        i++;
        return value.ToString();
    }
}
