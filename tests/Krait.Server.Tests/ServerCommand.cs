using Krait.TestSupport;

namespace Krait.Server.Tests;

/// <summary><c>krait server …</c> as a real process (the CLI passing through to the krait-server build beside it).</summary>
public static class ServerCommand
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["KRAIT_SERVER_EXE"] = Path.GetFullPath(Path.Combine(
            Path.GetDirectoryName(KraitProcess.CliPath)!, "..", "..", "..", "..", "Krait.Server", "bin",
            Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(KraitProcess.CliPath))!), "net10.0", "krait-server.dll")),
    };

    public static KraitResult Run(params string[] arguments) => KraitProcess.Run(["server", .. arguments], Environment);

    public static KraitResult Run(string input, params string[] arguments) => KraitProcess.Run(["server", .. arguments], Environment, input: input);

    /// <summary>Runs and asserts the exit code, showing the output when it differs.</summary>
    public static KraitResult Expect(int exitCode, params string[] arguments)
    {
        var result = Run(arguments);
        Assert.True(result.ExitCode == exitCode, $"krait server {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
        return result;
    }
}
