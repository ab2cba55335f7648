using Krait.Cli;
using Krait.Cli.Commands;

// `krait run` hands everything after the command to the command, so it bypasses the option parser.
if (args.Length > 0 && args[0] == "run" && !args.Skip(1).Any(a => a is "-h" or "--help"))
{
    return RunCommand.Execute(args[1..]);
}

// No response files: conda has none, and a spec starting with '@' is a spec, not a file to read arguments from.
// Without arguments, the help (as conda prints its usage), not a usage error.
var parsed = KraitCommand.Create().Parse(args.Length == 0 ? ["--help"] : args, new System.CommandLine.ParserConfiguration { ResponseFileTokenReplacer = null });
return UsageErrors.Report(parsed) ?? parsed.Invoke();
