using System.CommandLine;
using Krait.Cli.Commands;

namespace Krait.Cli;

/// <summary>The <c>krait</c> root command: one line per subcommand.</summary>
public static class KraitCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Krait: a fast, safe package manager for conda environments.");
        root.Subcommands.Add(CreateCommand.Create());
        root.Subcommands.Add(InstallCommand.Create(update: false));
        root.Subcommands.Add(InstallCommand.Create(update: true));
        root.Subcommands.Add(RemoveCommand.Create());
        root.Subcommands.Add(EnvCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(RenameCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(BuildCommand.Create());
        root.Subcommands.Add(CleanCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(LockCommand.Create());
        root.Subcommands.Add(BundleCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ShellCommand.Create());
        root.Subcommands.Add(AuthCommand.Create());
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(UploadCommand.Create());
        root.Subcommands.Add(ServerCommand.Create());
        return root;
    }
}
