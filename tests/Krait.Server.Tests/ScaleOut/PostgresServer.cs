using System.Diagnostics;
using Krait.TestSupport;
using Npgsql;

namespace Krait.Server.Tests.ScaleOut;

/// <summary>
/// A real PostgreSQL server from Debian's packages (postgresql), in a temporary folder on a free port of 127.0.0.1,
/// with fsync off (a test database needs no durability). PostgreSQL refuses to run as root, so as root (CI) it runs
/// as <c>nobody</c>, through setpriv. Each test takes a database of its own (<see cref="NewDatabase"/>).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string Install = "PostgreSQL's server is not installed: apt-get install postgresql (.ci/run does)";
    private readonly TempFolder folder = new TempFolder("postgres").Create();
    private readonly ServerProcess server;

    public PostgresServer()
    {
        var bin = FindBin();
        var data = folder.Combine("data");
        var asRoot = Environment.IsPrivilegedProcess;
        if (asRoot)
        {
            Run("chown", ["-R", "nobody:nogroup", folder.Path]);
        }

        var (initdb, initdbArguments) = AsServerUser(asRoot, Path.Combine(bin, "initdb"), ["-D", data, "-U", "krait", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        Run(initdb, initdbArguments);
        Port = FreePorts.Next();
        var (postgres, postgresArguments) = AsServerUser(asRoot, Path.Combine(bin, "postgres"), ["-D", data, "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", folder.Path,
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300"]);
        server = ServerProcess.Start(postgres, postgresArguments);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                connection.Open();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(60) && !server.Process.HasExited)
            {
                Thread.Sleep(100);
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException($"PostgreSQL did not start on 127.0.0.1:{Port}: {e.Message}\n{server.Log}");
            }
        }
    }

    public int Port { get; }

    /// <summary>A new empty database; its URL as a server home's <c>database</c> setting takes it.</summary>
    public string NewDatabase()
    {
        var name = "krait_" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return $"postgres://krait@127.0.0.1:{Port}/{name}";
    }

    public void Dispose()
    {
        // SIGINT is PostgreSQL's fast shutdown: it does not wait for the servers' pooled connections to close.
        Signals.Interrupt(server.Process.Id);
        if (!server.Process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            server.Process.Kill(entireProcessTree: true);
        }

        server.Process.Dispose();
        folder.Dispose();
    }

    private string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=krait;Database={database};Pooling=false;Timeout=5";

    /// <summary>The command that runs <paramref name="program"/> as the server's user: as root, <c>nobody</c> through setpriv (PostgreSQL refuses root); else as is.</summary>
    private static (string Program, IEnumerable<string> Arguments) AsServerUser(bool asRoot, string program, IEnumerable<string> arguments) =>
        asRoot ? ("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", program, .. arguments]) : (program, arguments);

    private static void Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var run = Process.Start(start)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var error = run.StandardError.ReadToEnd();
        run.WaitForExit();
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', start.ArgumentList)} failed ({run.ExitCode}): {error}{output.Result}");
        }
    }

    /// <summary>Debian's server binaries (<c>/usr/lib/postgresql/VERSION/bin</c>, the newest), else initdb's folder on PATH.</summary>
    private static string FindBin()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var version) ? version : 0).FirstOrDefault()
            : null;
        return debian ?? Path.GetDirectoryName(RequiredTool.Find("initdb", Install))!;
    }
}
