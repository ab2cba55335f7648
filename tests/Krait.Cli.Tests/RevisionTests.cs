using System.Text.Json;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary><c>krait list --revisions</c> and <c>krait install --revision N</c> on an environment of the examples channel changed three times.</summary>
public sealed class RevisionTests : IDisposable
{
    private static readonly string ExamplesChannel = Path.Combine(RepoPaths.Root, "examples", "channel");
    private readonly TempFolder scratch = new TempFolder("revisions").Create();
    private readonly Dictionary<string, string> environment;

    public RevisionTests() => environment = new() { ["CONDA_PKGS_DIRS"] = scratch.Combine("pkgs") };

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Going_back_to_a_revision_makes_the_environment_what_it_was_and_is_itself_a_revision()
    {
        var prefix = scratch.Combine("env");
        Krait("create", "-y", "-q", "-p", prefix, "-c", ExamplesChannel, "--override-channels", "zlib<2.2");
        var first = MetaFiles(prefix);
        Krait("install", "-y", "-q", "-p", prefix, "-c", ExamplesChannel, "--override-channels", "zlib>=2.2", "lz4-c");
        var second = MetaFiles(prefix);
        Krait("remove", "-y", "-q", "-p", prefix, "lz4-c");

        var listed = Krait("list", "-p", prefix, "--revisions").StandardOutput;
        Assert.Contains("(rev 2)", listed, StringComparison.Ordinal);
        Assert.Matches(@"\n     zlib  \{2\.1\.\S+ -> 2\.2\.\S+\}\n", listed);
        using (var json = JsonDocument.Parse(Krait("list", "-p", prefix, "--revisions", "--json").StandardOutput))
        {
            Assert.Equal(3, json.RootElement.GetArrayLength());
            Assert.Contains("lz4-c", json.RootElement[2].GetProperty("remove")[0].GetString(), StringComparison.Ordinal);
            Assert.Contains("zlib-2.2", json.RootElement[1].GetProperty("upgrade").EnumerateArray().Single(u => u.GetString()!.Contains("::zlib-", StringComparison.Ordinal)).GetString(), StringComparison.Ordinal);
        }

        Krait("install", "-y", "-q", "-p", prefix, "--revision", "0");
        Assert.Equal(first, MetaFiles(prefix));
        Krait("install", "-y", "-q", "-p", prefix, "--revision", "1");
        Assert.Equal(second, MetaFiles(prefix));
        Assert.Contains("(rev 4)", Krait("list", "-p", prefix, "--revisions").StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, KraitProcess.Run(["doctor", "-p", prefix], environment).ExitCode);

        var beyond = KraitProcess.Run(["install", "-y", "-p", prefix, "--revision", "9"], environment);
        Assert.Equal(1, beyond.ExitCode);
        Assert.Contains("has no revision 9 (it has 0 to 4)", beyond.StandardError, StringComparison.Ordinal);
        var withSpecs = KraitProcess.Run(["install", "-y", "-p", prefix, "--revision", "0", "zlib"], environment);
        Assert.Equal(1, withSpecs.ExitCode);
    }

    private KraitResult Krait(params string[] arguments)
    {
        var result = KraitProcess.Run(arguments, environment);
        Assert.True(result.ExitCode == 0, $"krait {string.Join(' ', arguments)}: {result.StandardError}");
        return result;
    }

    private static List<string> MetaFiles(string prefix) =>
        [.. Directory.GetFiles(Path.Combine(prefix, "conda-meta"), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
}
