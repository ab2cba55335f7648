using System.CommandLine;
using System.Globalization;
using Krait.Server.Commerce;
using Krait.Server.Home;
using Krait.Server.Metadata;
using static Krait.Server.Commands.CommandRun;

namespace Krait.Server.Commands;

/// <summary><c>krait server dividend</c> and the override table it reads, <c>krait server project set|unset|decline|accept|list</c>.</summary>
public static class DividendCommands
{
    public static IEnumerable<Command> Build() => [DividendCommand(), Project()];

    private static Command DividendCommand()
    {
        var home = HomeArgument();
        var from = new Option<string>("--from") { Description = "first day (YYYY-MM-DD)", Required = true };
        var to = new Option<string>("--to") { Description = "last day (YYYY-MM-DD)", Required = true };
        var revenue = new Option<string?>("--revenue") { Description = "the period's revenue (default: what the subscriptions earned in it)" };
        var currency = new Option<string?>("--currency") { Description = "the revenue's currency (default: the subscriptions', else USD)" };
        var share = new Option<string>("--share") { Description = "the share of revenue paid out, e.g. 1% or 0.01", DefaultValueFactory = _ => "1%" };
        var minimum = new Option<string>("--minimum") { Description = "the smallest payout; a project's smaller amount rolls over", DefaultValueFactory = _ => "0" };
        var carry = new Option<string?>("--carry") { Description = "what earlier periods rolled over, added to the pool (default: what the last recorded dividend before --from rolled over)" };
        var record = new Option<bool>("--record") { Description = "record this dividend as paid, so that what it rolls over is carried into the next period" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var csv = new Option<bool>("--csv") { Description = "print CSV, one line per package" };
        var html = new Option<bool>("--html") { Description = "print one HTML page with a chart of the top projects" };
        var command = new Command("dividend", "Split a share of a period's revenue between upstream projects by their packages' downloads by paying organisations.")
        {
            home, from, to, revenue, currency, share, minimum, carry, record, json, csv, html,
        };
        command.SetAction(parse => Run(() =>
        {
            var first = Administration.Day(parse.GetValue(from), "--from");
            var last = Administration.Day(parse.GetValue(to), "--to");
            if (string.CompareOrdinal(last, first) < 0)
            {
                throw new ServerHomeException($"--to {last} is before --from {first}");
            }

            long? revenueCents = parse.GetValue(revenue) is { } given ? Cents(given, "--revenue") : null;
            if (parse.GetValue(currency) is { } code && !Money.IsCurrency(code))
            {
                throw new ServerHomeException($"--currency '{code}' is not an ISO 4217 code (three capital letters, e.g. USD)");
            }

            var store = Administration.Store(Open(parse, home));
            var previous = parse.GetValue(carry) is null ? store.RolledOverBefore(first) : default;
            var carried = parse.GetValue(carry) is { } carriedText ? Cents(carriedText, "--carry") : previous.Cents;
            var report = DividendRun.Compute(
                store, first, last, revenueCents, parse.GetValue(currency), Share(parse.GetValue(share)!), Cents(parse.GetValue(minimum)!, "--minimum"), carried);
            if (previous.Currency is { } previousCurrency && previousCurrency != report.Terms.Currency)
            {
                throw new ServerHomeException($"the last recorded dividend rolled over an amount in {previousCurrency}, this one is in {report.Terms.Currency}: give --carry in {report.Terms.Currency}");
            }

            if (parse.GetValue(record) && !store.RecordDividend(Actor.Local, first, last, report.Terms.Currency, report.PoolCents, report.RolledOverCents, DividendOutput.Json(report)))
            {
                throw new ServerHomeException($"a recorded dividend overlaps {first} to {last}: each period is paid once");
            }
            Console.Write(
                parse.GetValue(json) ? DividendOutput.Json(report) + "\n"
                : parse.GetValue(csv) ? DividendOutput.Csv(report)
                : parse.GetValue(html) ? DividendOutput.Html(report)
                : Text(report));
            return 0;
        }));
        return command;
    }

    private static Command Project()
    {
        var setHome = HomeArgument(required: true);
        var setPackage = new Argument<string>("package");
        var setProject = new Argument<string>("project") { Description = "the upstream project, e.g. github.com/numpy/numpy" };
        var set = new Command("set", "Name a package's upstream project by hand (several packages may name one project).") { setHome, setPackage, setProject };
        set.SetAction(parse => Run(() =>
        {
            var project = UpstreamProjects.Normalise(parse.GetValue(setProject)!) ?? throw new ServerHomeException($"'{parse.GetValue(setProject)}' is not a project's web address (e.g. github.com/numpy/numpy)");
            Administration.Store(Open(parse, setHome)).SetUpstreamProject(Actor.Local, parse.GetValue(setPackage)!, project);
            Console.WriteLine($"'{parse.GetValue(setPackage)}' counts for {project}");
            return 0;
        }));

        var unsetHome = HomeArgument(required: true);
        var unsetPackage = new Argument<string>("package");
        var unset = new Command("unset", "Forget a package's override: its project comes from its about.json again.") { unsetHome, unsetPackage };
        unset.SetAction(parse => Run(() =>
        {
            Administration.Store(Open(parse, unsetHome)).SetUpstreamProject(Actor.Local, parse.GetValue(unsetPackage)!, null);
            Console.WriteLine($"'{parse.GetValue(unsetPackage)}' counts for the project its about.json names");
            return 0;
        }));

        Command Decision(string name, bool declined, string description)
        {
            var home = HomeArgument(required: true);
            var project = new Argument<string>("project");
            var command = new Command(name, description) { home, project };
            command.SetAction(parse => Run(() =>
            {
                var normalised = UpstreamProjects.Normalise(parse.GetValue(project)!) ?? parse.GetValue(project)!;
                Administration.Store(Open(parse, home)).SetDeclined(Actor.Local, normalised, declined);
                Console.WriteLine(declined ? $"{normalised} declined the dividend: its share rolls over" : $"{normalised} takes the dividend");
                return 0;
            }));
            return command;
        }

        var listHome = HomeArgument();
        var list = new Command("list", "The override table: packages named to projects, and projects that declined.") { listHome };
        list.SetAction(parse => Run(() =>
        {
            var store = Administration.Store(Open(parse, listHome));
            foreach (var (package, project) in store.UpstreamProjects().OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"{package,-32} {project}");
            }

            foreach (var project in store.DeclinedProjects().Order(StringComparer.Ordinal))
            {
                Console.WriteLine($"{"(declined)",-32} {project}");
            }

            return 0;
        }));

        return new Command("project", "The dividend's upstream projects: overrides of what packages' about.json say.")
        {
            set, unset, Decision("decline", true, "Record that a project declined the dividend (its share rolls over)."), Decision("accept", false, "Undo a decline."), list,
        };
    }

    private static string Text(DividendReport report)
    {
        var text = new System.Text.StringBuilder();
        var currency = report.Terms.Currency;
        text.Append(CultureInfo.InvariantCulture, $"Dividend {report.Terms.From} to {report.Terms.To}: pool {Money.Format(report.PoolCents)} {currency} over {report.Downloads:N0} paid downloads\n");
        foreach (var share in report.Paid)
        {
            text.Append(CultureInfo.InvariantCulture, $"{share.Project,-48} {share.Downloads,12:N0} {share.Fraction * 100,9:0.0000}% {Money.Format(share.Cents),14} {currency}\n");
        }

        foreach (var share in report.Held)
        {
            text.Append(CultureInfo.InvariantCulture, $"{share.Project,-48} {share.Downloads,12:N0} {share.Fraction * 100,9:0.0000}% {Money.Format(share.Cents),14} {currency}  held: {share.HeldBecause}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"rolled over to the next period: {Money.Format(report.RolledOverCents)} {currency}\n");
        return text.ToString();
    }

    private static long Cents(string text, string option) =>
        Money.TryParseCents(text, out var cents) ? cents : throw new ServerHomeException($"{option} must be an amount of at most two decimals, e.g. 1200000 or 25.50");

    /// <summary>"1%" or "0.01": a fraction from 0 to 1.</summary>
    private static decimal Share(string text)
    {
        var percent = text.EndsWith('%');
        if (!decimal.TryParse(percent ? text[..^1] : text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || (percent ? value / 100 : value) is < 0 or > 1)
        {
            throw new ServerHomeException($"--share '{text}' must be a percentage (1%) or a fraction (0.01) from 0 to 1");
        }

        return percent ? value / 100 : value;
    }
}
