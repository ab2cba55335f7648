using System.CommandLine;
using Krait.Server;
using Krait.Server.Home;
using static Krait.Server.Commands.CommandRun;

var initHome = new Argument<string?>("home") { Description = "the folder to make the server home in (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var json = new Option<bool>("--json") { Description = "print {\"api_key\": \"…\"}" };
var admin = new Option<string>("--admin") { Description = "the first administrator's user name", DefaultValueFactory = _ => "admin" };
var database = new Option<string?>("--database") { Description = "the metadata database: a SQLite file under HOME (default metadata.db), or PostgreSQL as postgres://USER:PASSWORD@HOST:PORT/DATABASE" };
var storage = new Option<string?>("--storage") { Description = "the package storage: a folder under HOME (default storage), or s3://BUCKET[/PREFIX]?endpoint=URL&region=R (keys in the URL or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)" };
var init = new Command("init", "Make a server home (configuration, metadata database, package storage) and its first administrator; prints the administrator's API key once. A home given the database and storage of a running repository joins it as one more instance.") { initHome, json, admin, database, storage };
init.SetAction(parse => Run(() =>
{
    var settings = new ServerSettings();
    settings = settings with { Database = parse.GetValue(database) ?? settings.Database, Storage = parse.GetValue(storage) ?? settings.Storage };
    var (home, key) = ServerHome.Init(ServerHome.Locate(parse.GetValue(initHome)), parse.GetValue(admin)!, settings);
    if (key is null)
    {
        if (parse.GetValue(json))
        {
            Console.WriteLine("{}");
        }
        else
        {
            Console.WriteLine($"Made a Krait server home in {home.Path} for the repository its database already holds (its administrators' keys work here)");
            Console.WriteLine($"Run this instance with: krait server run {home.Path}");
        }

        return 0;
    }

    if (parse.GetValue(json))
    {
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["api_key"] = key }));
    }
    else
    {
        Console.WriteLine($"Made a Krait server home in {home.Path}");
        Console.WriteLine($"The API key of '{parse.GetValue(admin)}' (shown only now; keep it safe): {key}");
        Console.WriteLine($"Run the server with: krait server run {home.Path}");
    }

    return 0;
}));

var runHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var urls = new Option<string>("--urls") { Description = "where to listen, e.g. http://127.0.0.1:8000 (several separated by ;)", DefaultValueFactory = _ => "http://127.0.0.1:8000" };
var run = new Command("run", "Serve a server home.") { runHome, urls };
run.SetAction(parse => Run(() =>
{
    var home = ServerHome.Open(ServerHome.Locate(parse.GetValue(runHome)));
    var app = KraitServer.Build(home, parse.GetValue(urls)!);
    app.Run();
    return 0;
}));

var channelHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var channelName = new Option<string>("--name") { Description = "the channel's name", Required = true };
var channelPrivate = new Option<bool>("--private") { Description = "readable only by its members (and its organisation's)" };
var channelCommercial = new Option<bool>("--commercial") { Description = "sold by subscription: readable by its members and the seat holders of subscribed organisations" };
var channelOrg = new Option<string?>("--org") { Description = "the organisation owning it (default: the first administrator)" };
var channelCreate = new Command("create", "Create a channel, as POST /api/channels does.") { channelHome, channelName, channelPrivate, channelCommercial, channelOrg };
channelCreate.SetAction(parse => Run(() =>
{
    var home = ServerHome.Open(ServerHome.Locate(parse.GetValue(channelHome)));
    var commercial = parse.GetValue(channelCommercial);
    Administration.CreateOrganisationChannel(home, parse.GetValue(channelName)!, parse.GetValue(channelOrg), parse.GetValue(channelPrivate), commercial);
    Console.WriteLine($"Created the {(commercial ? "commercial" : parse.GetValue(channelPrivate) ? "private" : "public")} channel '{parse.GetValue(channelName)}'{(parse.GetValue(channelOrg) is { } org ? $" of '{org}'" : string.Empty)}");
    return 0;
}));
var reindexHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var reindexName = new Option<string>("--name") { Description = "the channel's name", Required = true };
var channelReindex = new Command("reindex", "Publish every label and subdir of a channel again from the metadata (a full re-index).") { reindexHome, reindexName };
channelReindex.SetAction(parse => Run(() =>
{
    var home = ServerHome.Open(ServerHome.Locate(parse.GetValue(reindexHome)));
    var started = System.Diagnostics.Stopwatch.StartNew();
    var subdirs = Administration.Reindex(home, parse.GetValue(reindexName)!);
    Console.WriteLine($"Published {subdirs} subdirs of '{parse.GetValue(reindexName)}' in {started.Elapsed.TotalSeconds:0.00} s");
    return 0;
}));
var sourcesHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var sourcesName = new Option<string>("--name") { Description = "the curated channel", Required = true };
var sourcesList = new Option<string[]>("--source") { Description = "a source channel (repeat; the first to have a file name wins)", Required = true, AllowMultipleArgumentsPerToken = true };
var channelSources = new Command("sources", "Point a curated (e.g. commercial) channel at the channels its snapshots are taken from.") { sourcesHome, sourcesName, sourcesList };
channelSources.SetAction(parse => Run(() =>
{
    Administration.SetSources(ServerHome.Open(ServerHome.Locate(parse.GetValue(sourcesHome))), parse.GetValue(sourcesName)!, parse.GetValue(sourcesList)!);
    Console.WriteLine($"'{parse.GetValue(sourcesName)}' takes its snapshots from {string.Join(", ", parse.GetValue(sourcesList)!)}");
    return 0;
}));
var snapshotHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var snapshotName = new Option<string>("--name") { Description = "the curated channel", Required = true };
var channelSnapshot = new Command("snapshot", "Publish a snapshot of a curated channel's sources: its main label becomes exactly their files now.") { snapshotHome, snapshotName };
channelSnapshot.SetAction(parse => Run(() =>
{
    var snapshot = Administration.PublishSnapshot(ServerHome.Open(ServerHome.Locate(parse.GetValue(snapshotHome))), parse.GetValue(snapshotName)!);
    Console.WriteLine($"Snapshot {snapshot.Id} of '{snapshot.Channel}': {snapshot.Files} files from {snapshot.Sources} ({snapshot.Added} added or changed, {snapshot.Removed} removed)");
    return 0;
}));
var channel = new Command("channel", "Administer channels.") { channelCreate, channelReindex, channelSources, channelSnapshot };

var userHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var userName = new Argument<string>("name") { Description = "the user's name" };
var userAdmin = new Option<bool>("--admin") { Description = "an administrator: owner of every channel" };
var userJson = new Option<bool>("--json") { Description = "print the user as JSON" };
var userPassword = new Option<bool>("--password-stdin") { Description = "read the user's password from the first line of standard input (they then sign in with POST /api/sign-in)" };
var userAdd = new Command("add", "Add a user (then give them a key: krait server key create HOME --user NAME, or a password).") { userHome, userName, userAdmin, userPassword, userJson };
userAdd.SetAction(parse => Run(() =>
{
    var password = parse.GetValue(userPassword) ? Console.In.ReadLine()?.TrimEnd('\r') ?? throw new ServerHomeException("--password-stdin: nothing was given on standard input") : null;
    var added = Administration.AddUser(ServerHome.Open(ServerHome.Locate(parse.GetValue(userHome))), parse.GetValue(userName)!, parse.GetValue(userAdmin), password);
    Console.WriteLine(parse.GetValue(userJson)
        ? System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = added.Id, ["name"] = added.Name, ["is_admin"] = added.IsAdmin })
        : $"Added the {(added.IsAdmin ? "administrator" : "user")} '{added.Name}'");
    return 0;
}));
var userCommand = new Command("user", "Administer users.") { userAdd };

var keyHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var keyUser = new Option<string>("--user") { Description = "whose key", Required = true };
var keyChannel = new Option<string?>("--channel") { Description = "scope the key to this channel" };
var keyRole = new Option<string?>("--role") { Description = "the key's role there: member (read), maintainer (upload, delete), owner" };
var keyPackage = new Option<string?>("--package") { Description = "scope the key to this package of the channel (an upload key)" };
var keyExpires = new Option<DateTimeOffset?>("--expires") { Description = "when the key stops working (YYYY-MM-DD or ISO 8601, UTC)" };
var keyDescription = new Option<string?>("--description") { Description = "what the key is for" };
var keyJson = new Option<bool>("--json") { Description = "print {\"api_key\": \"…\"}" };
var keyCreate = new Command("create", "Make an API key of a user; prints it once (only its hash is stored).") { keyHome, keyUser, keyChannel, keyRole, keyPackage, keyExpires, keyDescription, keyJson };
keyCreate.SetAction(parse => Run(() =>
{
    var (key, id) = Administration.CreateKey(
        ServerHome.Open(ServerHome.Locate(parse.GetValue(keyHome))), parse.GetValue(keyUser)!, parse.GetValue(keyChannel), parse.GetValue(keyRole), parse.GetValue(keyPackage), parse.GetValue(keyExpires), parse.GetValue(keyDescription));
    Console.WriteLine(parse.GetValue(keyJson)
        ? System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["api_key"] = key, ["id"] = id })
        : $"The new key {id} of '{parse.GetValue(keyUser)}' (shown only now; keep it safe): {key}");
    return 0;
}));
var listHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var listUser = new Option<string?>("--user") { Description = "only this user's keys" };
var listJson = new Option<bool>("--json") { Description = "print the keys as JSON" };
var keyList = new Command("list", "List API keys (never the keys themselves: only their hashes are stored).") { listHome, listUser, listJson };
keyList.SetAction(parse => Run(() =>
{
    var home = ServerHome.Open(ServerHome.Locate(parse.GetValue(listHome)));
    var store = home.OpenMetadata();
    store.Migrate();
    long? only = parse.GetValue(listUser) is { } name ? (store.User(name) ?? throw new ServerHomeException($"there is no user '{name}'")).Id : null;
    var keys = store.Keys(only).Select(k => new Dictionary<string, object?>
    {
        ["id"] = k.Id,
        ["user"] = k.UserName,
        ["description"] = k.Description,
        ["created"] = k.Created,
        ["expires"] = k.Expires,
        ["revoked"] = k.Revoked,
        ["roles"] = store.KeyScopes(k.Id).Select(r => $"{r.Channel}{(r.Package is null ? string.Empty : "/" + r.Package)}:{Krait.Server.Metadata.ChannelRoles.Name(r.Role)}").ToList(),
    }).ToList();
    if (parse.GetValue(listJson))
    {
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(keys));
        return 0;
    }

    foreach (var key in keys)
    {
        var roles = (List<string>)key["roles"]!;
        Console.WriteLine($"{key["id"],6}  {key["user"],-16} {(key["revoked"] is true ? "revoked" : key["expires"] is string e ? $"until {e[..10]}" : "live"),-17} {(roles.Count == 0 ? "(as the user)" : string.Join(", ", roles)),-30} {key["description"]}");
    }

    return 0;
}));
var revokeHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var revokeId = new Argument<long>("id") { Description = "the key's id (krait server key list)" };
var keyRevoke = new Command("revoke", "Revoke an API key: refused at once by every server instance.") { revokeHome, revokeId };
keyRevoke.SetAction(parse => Run(() =>
{
    Administration.RevokeKey(ServerHome.Open(ServerHome.Locate(parse.GetValue(revokeHome))), parse.GetValue(revokeId));
    Console.WriteLine($"Revoked the key {parse.GetValue(revokeId)}");
    return 0;
}));
var keyCommand = new Command("key", "Administer API keys.") { keyCreate, keyList, keyRevoke };

var auditHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var auditChannel = new Option<string?>("--channel") { Description = "only this channel's entries" };
var auditLimit = new Option<int>("--limit") { Description = "at most this many entries, newest first", DefaultValueFactory = _ => 100 };
var auditJson = new Option<bool>("--json") { Description = "print the entries as JSON" };
var auditOrg = new Option<string?>("--org") { Description = "only this organisation's entries" };
var audit = new Command("audit", "Read the audit log: who changed access (keys, roles, users, channels, organisations, subscriptions, seats), when and from where.") { auditHome, auditChannel, auditOrg, auditLimit, auditJson };
audit.SetAction(parse => Run(() =>
{
    var store = ServerHome.Open(ServerHome.Locate(parse.GetValue(auditHome))).OpenMetadata();
    store.Migrate();
    var entries = store.AuditLog(parse.GetValue(auditChannel), Math.Max(1, parse.GetValue(auditLimit)), parse.GetValue(auditOrg));
    if (parse.GetValue(auditJson))
    {
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(entries.Select(Krait.Server.Http.AuditApi.Describe)));
        return 0;
    }

    foreach (var e in entries)
    {
        Console.WriteLine($"{e.At[..19]}Z  {e.Action,-19} {e.Channel ?? e.Organisation ?? "-",-16} {e.Subject,-24} {e.Detail ?? string.Empty}  by {e.Actor} from {e.Origin}");
    }

    return 0;
}));

var usageHome = new Argument<string?>("home") { Description = "the server home (default: KRAIT_SERVER_HOME)", Arity = ArgumentArity.ZeroOrOne };
var usageChannel = new Option<string>("--channel") { Description = "the channel", Required = true };
var usageFrom = new Option<string?>("--from") { Description = "the first day counted (YYYY-MM-DD)" };
var usageTo = new Option<string?>("--to") { Description = "the last day counted (YYYY-MM-DD)" };
var usageJson = new Option<bool>("--json") { Description = "print JSON" };
var usageCsv = new Option<bool>("--csv") { Description = "print CSV: name,version,build,subdir,client,downloads" };
var usage = new Command("usage", "Counted downloads of a channel's packages in a period, per file and client.") { usageHome, usageChannel, usageFrom, usageTo, usageJson, usageCsv };
usage.SetAction(parse => Run(() =>
{
    var store = ServerHome.Open(ServerHome.Locate(parse.GetValue(usageHome))).OpenMetadata();
    store.Migrate();
    var channelName = parse.GetValue(usageChannel)!;
    if (store.Channel(channelName) is null)
    {
        throw new ServerHomeException($"there is no channel '{channelName}'");
    }

    var rows = store.Downloads(channelName, null, Administration.Day(parse.GetValue(usageFrom), "--from", Krait.Server.Http.UsageApi.FirstDay), Administration.Day(parse.GetValue(usageTo), "--to", Krait.Server.Http.UsageApi.LastDay), null);
    if (parse.GetValue(usageJson))
    {
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(rows.GroupBy(r => r.Name).Select(g => Krait.Server.Http.UsageApi.Describe(channelName, g.Key, [.. g], null))));
    }
    else if (parse.GetValue(usageCsv))
    {
        Console.WriteLine("name,version,build,subdir,client,downloads");
        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Name},{r.Version},{r.Build},{r.Subdir},{r.Client},{r.Downloads}");
        }
    }
    else
    {
        foreach (var g in rows.GroupBy(r => r.Name))
        {
            Console.WriteLine($"{g.Key,-32} {g.Sum(r => r.Downloads),10}");
        }

        Console.WriteLine($"{"total",-32} {rows.Sum(r => r.Downloads),10}");
    }

    return 0;
}));

var root = new RootCommand("Krait Server: a conda package repository that conda, mamba and pixi use unmodified.") { init, run, channel, userCommand, keyCommand, audit, usage, Krait.Server.Commands.OrganisationCommands.Build() };
foreach (var command in Krait.Server.Commands.CommerceCommands.Build().Concat(Krait.Server.Commands.DividendCommands.Build()))
{
    root.Add(command);
}

return root.Parse(args).Invoke();
