using System.Text;
using Krait.TestSupport;
using Xunit.Abstractions;

namespace Krait.Cli.Tests;

/// <summary>
/// Random and mutated command lines and input files, each run as a real krait: none may end in an unhandled
/// exception or an exit code other than 0 (done), 1 (a command that failed) or 2 (a command line krait cannot read).
/// Seeded, so a failure replays; <c>KRAIT_FUZZ_RUNS</c> runs more cases than the default.
/// </summary>
public sealed class CommandLineFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder scratch = new TempFolder("fuzz").Create();

    public void Dispose() => scratch.Dispose();

    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("KRAIT_FUZZ_RUNS"), out var runs) && runs > 0 ? runs : 60;

    /// <summary>Words a mutation may insert: every command, every option, and values that stress parsers (but no path outside the scratch folder).</summary>
    private static readonly string[] Vocabulary =
    [
        "create", "install", "update", "remove", "search", "list", "info", "env", "export", "shell", "activate", "deactivate", "hook", "auth", "login", "logout",
        "-n", "--name", "-p", "--prefix", "-c", "--channel", "--override-channels", "--platform", "--subdir", "--channel-priority", "--file", "-f",
        "--json", "-y", "-q", "-d", "--dry-run", "--offline", "--all", "--force", "--stack", "--no-stack", "--shell", "--export", "--canonical",
        "--explicit", "--md5", "--from-history", "--no-builds", "--info", "--help", "--version", "--", "-", "",
        "numpy", "python>=3", "x=1=2=3", "a[b=c]", "::", "conda-forge::numpy", "numpy[build=*mkl*]", "*", "[", "'", "\"", "\\", "=", ">=<",
        "bash", "fish", "tcsh", "linux-64", "nosuch-64", "strict", "bogus", "0", "-1", "99999999999999999999", "é", "\u0000x", new string('a', 5000),
    ];

    [Fact]
    public void Random_command_lines_end_in_0_1_or_2_and_never_in_a_crash()
    {
        var random = new Random(20261202);
        var channel = Path.Combine(RepoPaths.Root, "examples", "channel");
        string[][] seeds =
        [
            ["create", "-d", "-p", "ENV", "-c", channel, "--override-channels", "bzip2"],
            ["install", "-d", "-p", "ENV", "-c", channel, "--override-channels", "xz"],
            ["search", "-c", channel, "--override-channels", "zlib"],
            ["list", "-p", "ENV", "--json"],
            ["env", "export", "-p", "ENV"],
            ["remove", "-d", "-p", "ENV", "bzip2"],
            ["shell", "activate", "ENV", "--shell", "bash"],
            ["info", "--json"],
        ];
        var prefix = scratch.Combine("env");
        var created = KraitProcess.Run(["create", "-y", "-q", "-p", prefix, "-c", channel, "--override-channels", "bzip2"]);
        Assert.True(created.ExitCode == 0, created.StandardError);

        for (var run = 0; run < Runs; run++)
        {
            var arguments = seeds[random.Next(seeds.Length)].Select(a => a == "ENV" ? prefix : a).ToList();
            for (var mutations = random.Next(1, 4); mutations > 0; mutations--)
            {
                var at = random.Next(arguments.Count + 1);
                switch (random.Next(4))
                {
                    case 0 when arguments.Count > 1:
                        arguments.RemoveAt(Math.Min(at, arguments.Count - 1));
                        break;
                    case 1:
                        arguments.Insert(at, Vocabulary[random.Next(Vocabulary.Length)]);
                        break;
                    case 2 when arguments.Count > 0:
                        arguments[Math.Min(at, arguments.Count - 1)] = Vocabulary[random.Next(Vocabulary.Length)];
                        break;
                    default:
                        arguments.Insert(at, RandomText(random));
                        break;
                }
            }

            // Never anything that runs a program, and never a prefix outside the scratch folder.
            if (arguments.Count > 0 && arguments[0] == "run")
            {
                continue;
            }

            AssertHandled(arguments);
        }
    }

    [Fact]
    public void Mutated_input_files_end_in_0_1_or_2_and_never_in_a_crash()
    {
        var random = new Random(20261203);
        var originals = new (string Kind, string Text)[]
        {
            ("yml", "name: demo\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - numpy>=1.26\n"),
            ("condarc", "channels:\n  - conda-forge\nchannel_priority: strict\npinned_packages:\n  - python 3.12.*\nauto_stack: 1\nchangeps1: false\n"),
            ("explicit", "# platform: linux-64\n@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/linux-64/zlib-1.3.1-hb9d3cd8_2.conda#c9f075ab2f33b3bbee9e62d4ad0a6cd8\n"),
            ("specs", "numpy>=1.26\npython=3.12\n# a comment\n"),
        };
        for (var run = 0; run < Runs; run++)
        {
            var (kind, text) = originals[random.Next(originals.Length)];
            var mutated = Mutate(text, random);
            var file = scratch.Combine($"input-{run}.{kind}");
            File.WriteAllText(file, mutated);
            List<string> arguments = kind switch
            {
                "yml" => ["env", "create", "-d", "-f", file, "-p", scratch.Combine("never")],
                "condarc" => ["info", "--json"],
                _ => ["create", "-d", "--offline", "-p", scratch.Combine("never"), "--file", file],
            };
            var environment = kind == "condarc" ? new Dictionary<string, string> { ["CONDARC"] = file } : null;
            AssertHandled(arguments, environment);
        }
    }

    private void AssertHandled(List<string> arguments, Dictionary<string, string>? environment = null)
    {
        var shown = string.Join(' ', arguments.Select(a => a.Length > 40 ? a[..40] + "…" : a));
        var result = KraitProcess.Run(arguments, environment, scratch);
        Assert.True(
            result.ExitCode is 0 or 1 or 2 && !result.StandardError.Contains("Unhandled exception", StringComparison.Ordinal),
            $"krait {shown} ended with {result.ExitCode}:\n{result.StandardError}");
        output.WriteLine($"{result.ExitCode}  krait {shown}");
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(0, 12); i > 0; i--)
        {
            text.Append(random.Next(5) switch
            {
                0 => (char)random.Next(0x20, 0x7f),
                1 => "=<>!*[]{}:,'\"\\-"[random.Next(15)],
                2 => (char)random.Next(0x80, 0x3000),
                3 => ' ',
                _ => (char)random.Next('a', 'z' + 1),
            });
        }

        return text.ToString();
    }

    /// <summary>The text with a few bytes flipped, cut, doubled or spliced with YAML and JSON punctuation.</summary>
    private static string Mutate(string text, Random random)
    {
        var chars = new StringBuilder(text);
        for (var mutations = random.Next(1, 6); mutations > 0 && chars.Length > 0; mutations--)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(5))
            {
                case 0:
                    chars.Remove(at, Math.Min(random.Next(1, 8), chars.Length - at));
                    break;
                case 1:
                    chars.Insert(at, "[{:-\"'#&*!|>%@`\n\t"[random.Next(17)]);
                    break;
                case 2:
                    chars[at] = (char)random.Next(0, 0x250);
                    break;
                case 3:
                    chars.Length = at; // cut short
                    break;
                default:
                    chars.Insert(at, chars.ToString(at, Math.Min(20, chars.Length - at)));
                    break;
            }
        }

        return chars.ToString();
    }
}
