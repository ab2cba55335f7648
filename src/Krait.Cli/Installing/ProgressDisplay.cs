using Krait.Install.Transactions;
using Spectre.Console;

namespace Krait.Cli.Installing;

/// <summary>
/// Shows a transaction's progress on stderr: bars for extracting, unlinking and linking on a terminal, one line per
/// finished stage otherwise, nothing at all with <c>--json</c> or <c>--quiet</c>.
/// </summary>
internal static class ProgressDisplay
{
    public static T Run<T>(bool silent, Func<IProgress<TransactionProgress>?, T> work)
    {
        if (silent)
        {
            return work(null);
        }

        if (Console.IsErrorRedirected)
        {
            return work(new PlainLines());
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context => work(new Bars(context)));
    }

    private static string Title(string stage) => stage switch
    {
        "download" => "Downloading packages",
        "extract" => "Extracting packages",
        "unlink" => "Removing files",
        "link" => "Linking packages",
        _ => stage,
    };

    private sealed class PlainLines : IProgress<TransactionProgress>
    {
        public void Report(TransactionProgress value)
        {
            if (value.Done == value.Total)
            {
                Console.Error.WriteLine($"{Title(value.Stage)}: done ({value.Total})");
            }
        }
    }

    private sealed class Bars(ProgressContext context) : IProgress<TransactionProgress>
    {
        private readonly Dictionary<string, ProgressTask> tasks = new(StringComparer.Ordinal);

        public void Report(TransactionProgress value)
        {
            if (!tasks.TryGetValue(value.Stage, out var task))
            {
                tasks[value.Stage] = task = context.AddTask(Title(value.Stage), maxValue: value.Total);
            }

            task.Value = value.Done;
            if (value.Done == value.Total)
            {
                task.StopTask();
            }
        }
    }
}
