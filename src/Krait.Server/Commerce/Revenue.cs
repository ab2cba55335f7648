using System.Globalization;
using Krait.Server.Metadata;

namespace Krait.Server.Commerce;

/// <summary>
/// What subscriptions earn in a period: seats × price per seat per month, each calendar month counted by the share
/// of its days the subscription ran within the period (a subscription of all of March earns one month; of 1 to 15
/// April, half of one). Summed exactly in decimals and rounded to cents once per subscription.
/// </summary>
public static class Revenue
{
    /// <summary>What <paramref name="subscription"/> earned from <paramref name="from"/> to <paramref name="to"/> (days, inclusive), in cents of its currency.</summary>
    public static long Of(SubscriptionRow subscription, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var first = Max(Day(subscription.Starts), from);
        var last = Min(Day(subscription.Ends), to);
        var months = 0m;
        for (var monthStart = new DateOnly(first.Year, first.Month, 1); monthStart <= last; monthStart = monthStart.AddMonths(1))
        {
            var monthEnd = monthStart.AddMonths(1).AddDays(-1);
            var days = Min(monthEnd, last).DayNumber - Max(monthStart, first).DayNumber + 1;
            months += (decimal)days / (monthEnd.DayNumber - monthStart.DayNumber + 1);
        }

        return (long)decimal.Round(subscription.Seats * subscription.SeatPriceCents * months, MidpointRounding.AwayFromZero);
    }

    /// <summary>The report of a period: every subscription that ran in it with what it earned, by vendor and channel.</summary>
    public static IReadOnlyList<RevenueLine> Report(IEnumerable<SubscriptionRow> subscriptions, DateOnly from, DateOnly to) =>
        [.. subscriptions
            .Select(s => new RevenueLine(s.Vendor ?? HouseVendor, s.Channel, s.Organisation, s.Id, s.Plan, s.Seats, s.SeatPriceCents, s.Currency, Of(s, from, to)))
            .Where(l => l.Cents > 0)
            .OrderBy(l => l.Vendor, StringComparer.Ordinal).ThenBy(l => l.Channel, StringComparer.Ordinal).ThenBy(l => l.Subscription)];

    /// <summary>What each vendor earned in each currency, by vendor then currency.</summary>
    public static IReadOnlyList<(string Vendor, string Currency, long Cents)> Totals(IEnumerable<RevenueLine> lines) =>
        [.. lines.GroupBy(l => (l.Vendor, l.Currency))
            .OrderBy(g => g.Key.Vendor, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g => (g.Key.Vendor, g.Key.Currency, g.Sum(l => l.Cents)))];

    /// <summary>The vendor of the channels no organisation owns: the server's own.</summary>
    public const string HouseVendor = "(house)";

    public static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}

/// <summary>What one subscription earned its vendor in a period.</summary>
public sealed record RevenueLine(string Vendor, string Channel, string Organisation, long Subscription, string Plan, long Seats, long SeatPriceCents, string Currency, long Cents);
