using System.CommandLine;
using Krait.Server.Home;

namespace Krait.Server.Commands;

/// <summary>What every <c>krait server</c> command shares: the server home argument, and errors as one line and exit code 1.</summary>
public static class CommandRun
{
    /// <summary>The server home, the first argument (required where more arguments follow it).</summary>
    public static Argument<string?> HomeArgument(bool required = false) =>
        new("home") { Description = "the server home" + (required ? string.Empty : " (default: KRAIT_SERVER_HOME)"), Arity = required ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne };

    public static ServerHome Open(ParseResult parse, Argument<string?> home)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return ServerHome.Open(ServerHome.Locate(parse.GetValue(home)));
    }

    public static int Run(Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (Exception e) when (e is ServerHomeException or IOException or InvalidOperationException)
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
}
