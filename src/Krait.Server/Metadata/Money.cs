using System.Globalization;

namespace Krait.Server.Metadata;

/// <summary>Amounts of money, kept as whole cents (never floating point) and written with two decimals; currencies as ISO 4217 codes.</summary>
public static class Money
{
    /// <summary>Parses a non-negative amount with at most two decimals ("15", "15.5", "1200000.00") into cents.</summary>
    public static bool TryParseCents(string? text, out long cents)
    {
        cents = 0;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount < 0 || amount > 1_000_000_000_000m || decimal.Round(amount, 2) != amount)
        {
            return false;
        }

        cents = (long)(amount * 100);
        return true;
    }

    public static string Format(long cents) => (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>An amount for JSON: a number with two decimals.</summary>
    public static decimal Amount(long cents) => decimal.Round(cents / 100m, 2) + 0.00m;

    public static bool IsCurrency(string? text) => text is { Length: 3 } && text.All(char.IsAsciiLetterUpper);
}
