using Krait.Server.Metadata;
using Krait.Server.Storage;

namespace Krait.Server.Commerce;

/// <summary>What a plan and a subscription must be, for the API and the server home alike: each rule returns what is wrong, or null.</summary>
public static class SaleTerms
{
    public const long MaxSeats = 1_000_000;

    /// <summary>A plan's name, price per seat per month (into cents) and currency.</summary>
    public static string? PlanProblem(string name, string? price, string currency, out long cents)
    {
        cents = 0;
        return !ServerNames.IsUser(name) ? $"'{name}' is not a valid plan name: letters, digits and single . - _ between them, at most 64 characters"
            : !Money.TryParseCents(price, out cents) ? "the price (per seat per month) must be an amount of at most two decimals, e.g. 15 or 15.50"
            : !Money.IsCurrency(currency) ? $"'{currency}' is not an ISO 4217 currency code (three capital letters, e.g. USD)"
            : null;
    }

    public static string? SeatsProblem(long? seats) => seats is < 1 or > MaxSeats ? $"the number of seats must be from 1 to {MaxSeats:N0}" : null;

    /// <summary>A new subscription's days (checked as days by the caller, which names its own fields).</summary>
    public static string? PeriodProblem(string starts, string ends) =>
        string.CompareOrdinal(ends, starts) < 0 ? $"the subscription ends ({ends}) before it starts ({starts})" : null;
}
