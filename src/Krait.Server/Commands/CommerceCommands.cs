using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Krait.Server.Commerce;
using Krait.Server.Http;
using Krait.Server.Metadata;
using static Krait.Server.Commands.CommandRun;

namespace Krait.Server.Commands;

/// <summary><c>krait server plan set</c>, <c>subscription add|change|list</c>, <c>seat assign|free</c>, <c>revenue</c>.</summary>
public static class CommerceCommands
{
    public static IEnumerable<Command> Build() => [Plan(), Subscription(), Seat(), RevenueCommand()];

    private static Command Plan()
    {
        var home = HomeArgument(required: true);
        var channel = new Option<string>("--channel") { Description = "the commercial channel", Required = true };
        var name = new Option<string>("--name") { Description = "the plan's name", Required = true };
        var price = new Option<string>("--price") { Description = "price per seat per month, e.g. 15 or 15.50", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 code", DefaultValueFactory = _ => "USD" };
        var set = new Command("set", "Offer a plan of a commercial channel (or reprice it: running subscriptions keep their price).") { home, channel, name, price, currency };
        set.SetAction(parse => Run(() =>
        {
            Administration.SetPlan(Open(parse, home), parse.GetValue(channel)!, parse.GetValue(name)!, parse.GetValue(price)!, parse.GetValue(currency)!);
            Console.WriteLine($"'{parse.GetValue(channel)}' offers the plan '{parse.GetValue(name)}' at {parse.GetValue(price)} {parse.GetValue(currency)} per seat per month");
            return 0;
        }));
        return new Command("plan", "Plans of commercial channels.") { set };
    }

    private static Command Subscription()
    {
        var addHome = HomeArgument(required: true);
        var org = new Option<string>("--org") { Description = "the subscribing organisation", Required = true };
        var channel = new Option<string>("--channel") { Description = "the commercial channel", Required = true };
        var plan = new Option<string>("--plan") { Description = "the channel's plan", Required = true };
        var seats = new Option<long>("--seats") { Description = "how many seats", Required = true };
        var start = new Option<string?>("--start") { Description = "first day (YYYY-MM-DD; default today)" };
        var end = new Option<string>("--end") { Description = "last day (YYYY-MM-DD)", Required = true };
        var add = new Command("add", "Subscribe an organisation to a commercial channel's plan.") { addHome, org, channel, plan, seats, start, end };
        add.SetAction(parse => Run(() =>
        {
            var id = Administration.Subscribe(Open(parse, addHome), parse.GetValue(org)!, parse.GetValue(channel)!, parse.GetValue(plan)!, parse.GetValue(seats),
                parse.GetValue(start) ?? MetadataStore.Today(), parse.GetValue(end)!);
            Console.WriteLine($"Subscription {id}: '{parse.GetValue(org)}' to '{parse.GetValue(channel)}', {parse.GetValue(seats)} seats");
            return 0;
        }));

        var changeHome = HomeArgument(required: true);
        var changeId = new Argument<long>("id") { Description = "the subscription" };
        var changeSeats = new Option<long?>("--seats") { Description = "the new seat count" };
        var changeEnd = new Option<string?>("--end") { Description = "the new last day" };
        var change = new Command("change", "Change a subscription's seats or end.") { changeHome, changeId, changeSeats, changeEnd };
        change.SetAction(parse => Run(() =>
        {
            Administration.ChangeSubscription(Open(parse, changeHome), parse.GetValue(changeId), parse.GetValue(changeSeats), parse.GetValue(changeEnd));
            Console.WriteLine($"Changed the subscription {parse.GetValue(changeId)}");
            return 0;
        }));

        var listHome = HomeArgument();
        var listOrg = new Option<string?>("--org") { Description = "only this organisation's" };
        var listJson = new Option<bool>("--json") { Description = "print JSON" };
        var list = new Command("list", "List subscriptions with their seats.") { listHome, listOrg, listJson };
        list.SetAction(parse => Run(() =>
        {
            var store = Administration.Store(Open(parse, listHome));
            var rows = store.Subscriptions(parse.GetValue(listOrg));
            if (parse.GetValue(listJson))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows.Select(s => new Dictionary<string, object?>
                {
                    ["id"] = s.Id, ["organisation"] = s.Organisation, ["channel"] = s.Channel, ["vendor"] = s.Vendor ?? Revenue.HouseVendor, ["plan"] = s.Plan,
                    ["seats"] = s.Seats, ["seats_assigned"] = s.Assigned, ["seat_price"] = Money.Amount(s.SeatPriceCents), ["currency"] = s.Currency, ["start"] = s.Starts, ["end"] = s.Ends,
                })));
                return 0;
            }

            foreach (var s in rows)
            {
                Console.WriteLine($"{s.Id,5}  {s.Organisation,-16} {s.Channel,-16} {s.Plan,-10} {s.Assigned}/{s.Seats} seats  {Money.Format(s.SeatPriceCents)} {s.Currency}  {s.Starts} to {s.Ends}");
            }

            return 0;
        }));
        return new Command("subscription", "Organisations' subscriptions to commercial channels.") { add, change, list };
    }

    private static Command Seat()
    {
        Command Make(string name, string description, Action<Krait.Server.Home.ServerHome, long, string> act, string done)
        {
            var home = HomeArgument(required: true);
            var id = new Argument<long>("subscription");
            var user = new Argument<string>("user");
            var command = new Command(name, description) { home, id, user };
            command.SetAction(parse => Run(() =>
            {
                act(Open(parse, home), parse.GetValue(id), parse.GetValue(user)!);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, done, parse.GetValue(user), parse.GetValue(id)));
                return 0;
            }));
            return command;
        }

        return new Command("seat", "Seats of subscriptions.")
        {
            Make("assign", "Give a member of the subscribing organisation a seat (refused, with a notice to its owners, when all are taken).", Administration.AssignSeat, "'{0}' holds a seat of the subscription {1}"),
            Make("free", "Take a seat back.", Administration.FreeSeat, "'{0}' no longer holds a seat of the subscription {1}"),
        };
    }

    private static Command RevenueCommand()
    {
        var home = HomeArgument();
        var vendor = new Option<string?>("--vendor") { Description = "only this vendor organisation's channels ((house) for the server's own)" };
        var from = new Option<string?>("--from") { Description = "first day (YYYY-MM-DD)" };
        var to = new Option<string?>("--to") { Description = "last day (YYYY-MM-DD)" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var command = new Command("revenue", "What subscriptions earned in a period, per vendor, channel and subscriber (seats × price per month, pro rata by day).") { home, vendor, from, to, json };
        command.SetAction(parse => Run(() =>
        {
            var store = Administration.Store(Open(parse, home));
            var first = Administration.Day(parse.GetValue(from), "--from", UsageApi.FirstDay);
            var last = Administration.Day(parse.GetValue(to), "--to", UsageApi.LastDay);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(CommerceApi.RevenueReport(store, parse.GetValue(vendor), first, last)));
                return 0;
            }

            var lines = CommerceApi.RevenueLines(store, parse.GetValue(vendor), first, last);
            foreach (var line in lines)
            {
                Console.WriteLine($"{line.Vendor,-16} {line.Channel,-16} {line.Organisation,-16} {line.Seats,5} seats  {Money.Format(line.Cents),12} {line.Currency}");
            }

            foreach (var (vendorName, currency, cents) in Revenue.Totals(lines))
            {
                Console.WriteLine($"total {vendorName,-16} {Money.Format(cents),12} {currency}");
            }

            return 0;
        }));
        return command;
    }
}
