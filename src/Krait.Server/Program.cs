using System.CommandLine;
using Krait.Server;
using Krait.Server.Home;

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
var channelPrivate = new Option<bool>("--private") { Description = "readable only by its owner and administrators" };
var channelCreate = new Command("create", "Create a channel (owned by the first administrator), as POST /api/channels does.") { channelHome, channelName, channelPrivate };
channelCreate.SetAction(parse => Run(() =>
{
    var home = ServerHome.Open(ServerHome.Locate(parse.GetValue(channelHome)));
    var created = Administration.CreateChannel(home, parse.GetValue(channelName)!, parse.GetValue(channelPrivate));
    Console.WriteLine($"Created the {(parse.GetValue(channelPrivate) ? "private" : "public")} channel '{created}'");
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
var channel = new Command("channel", "Administer channels.") { channelCreate, channelReindex };

var root = new RootCommand("Krait Server: a conda package repository that conda, mamba and pixi use unmodified.") { init, run, channel };
return root.Parse(args).Invoke();

static int Run(Func<int> body)
{
    try
    {
        return body();
    }
    catch (ServerHomeException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
    catch (System.Data.Common.DbException e)
    {
        Console.Error.WriteLine($"error: the metadata database cannot be used: {e.Message}");
        return 1;
    }
}
