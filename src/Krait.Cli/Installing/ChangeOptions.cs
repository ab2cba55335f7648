using System.CommandLine;
using Krait.Cli.Output;
using Krait.Conda.Channels;
using Krait.Configuration;
using Krait.Install;
using Krait.Solve.Conda;

namespace Krait.Cli.Installing;

/// <summary>The flags of create, install, update and remove, defined once: conda's names and meanings.</summary>
internal sealed class ChangeOptions
{
    public Option<string?> Name { get; } = new("--name", "-n") { Description = "name of the environment (under the envs dirs)" };

    public Option<string?> Prefix { get; } = new("--prefix", "-p") { Description = "full path of the environment" };

    public Option<string[]> Channels { get; } = new("--channel", "-c") { Description = "a channel (path, file:// URL or name); repeatable, highest priority first", AllowMultipleArgumentsPerToken = false };

    public Option<bool> OverrideChannels { get; } = new("--override-channels") { Description = "use only the -c channels, not those of .condarc" };

    public Option<string?> Platform { get; } = new("--platform", "--subdir") { Description = "the platform to solve for (default: this machine's)" };

    public Option<string?> Priority { get; } = CreatePriority();

    public Option<bool> DryRun { get; } = new("--dry-run", "-d") { Description = "only show what would change" };

    public Option<bool> Json { get; } = new("--json") { Description = "print conda's JSON" };

    public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "do not ask for confirmation" };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "print nothing but errors (no progress bars)" };

    public Option<bool> NoPyc { get; } = new("--no-pyc") { Description = "do not byte-compile the .py files of noarch: python packages" };

    public Option<bool> Clobber { get; } = new("--clobber") { Description = "let packages overwrite each other's files even with path_conflict: prevent" };

    public Option<bool> NoScripts { get; } = new("--no-scripts") { Description = "do not run the packages' link scripts (link_scripts: skip); say which were not run" };

    public Option<bool> Offline { get; } = new("--offline") { Description = "use no network: only cached repodata and packages" };

    public Option<bool> UseIndexCache { get; } = new("--use-index-cache", "-C") { Description = "use cached repodata without asking the server" };

    public Option<bool> Copy { get; } = new("--copy") { Description = "copy every file into the environment instead of hard-linking it from the package cache" };

    /// <summary>conda's shorthand for <c>--channel-priority strict</c>.</summary>
    public Option<bool> StrictChannelPriority { get; } = new("--strict-channel-priority") { Description = "the same as --channel-priority strict" };

    /// <summary>conda's shorthand for <c>--channel-priority disabled</c>.</summary>
    public Option<bool> NoChannelPriority { get; } = new("--no-channel-priority") { Description = "the same as --channel-priority disabled" };

    public void AddTo(Command command, bool solving = true)
    {
        command.Options.Add(Name);
        command.Options.Add(Prefix);
        if (solving)
        {
            command.Options.Add(Channels);
            command.Options.Add(OverrideChannels);
            command.Options.Add(Platform);
            command.Options.Add(Priority);
            command.Options.Add(StrictChannelPriority);
            command.Options.Add(NoChannelPriority);
            command.Options.Add(NoPyc);
            command.Options.Add(Clobber);
            command.Options.Add(Offline);
            command.Options.Add(UseIndexCache);
            command.Options.Add(Copy);
        }

        command.Options.Add(NoScripts);
        command.Options.Add(DryRun);
        command.Options.Add(Json);
        command.Options.Add(Yes);
        command.Options.Add(Quiet);
    }

    public Values Read(ParseResult parse) => new(
        parse.GetValue(Name),
        parse.GetValue(Prefix),
        parse.GetValue(Channels) ?? [],
        parse.GetValue(OverrideChannels),
        parse.GetValue(Platform),
        PriorityOf(parse),
        parse.GetValue(DryRun),
        parse.GetValue(Json),
        parse.GetValue(Yes),
        parse.GetValue(Quiet),
        parse.GetValue(NoPyc),
        parse.GetValue(Clobber),
        parse.GetValue(Offline),
        parse.GetValue(UseIndexCache),
        parse.GetValue(NoScripts),
        parse.GetValue(Copy));

    /// <summary>The channel priority asked for: <c>--channel-priority</c> or one of its shorthands, at most one of them.</summary>
    private string? PriorityOf(ParseResult parse)
    {
        string?[] given = [parse.GetValue(Priority), parse.GetValue(StrictChannelPriority) ? "strict" : null, parse.GetValue(NoChannelPriority) ? "disabled" : null];
        var asked = given.Where(g => g is not null).ToList();
        return asked.Count <= 1
            ? asked.FirstOrDefault()
            : throw new KraitException("ArgumentError", "give one of --channel-priority, --strict-channel-priority and --no-channel-priority");
    }

    private static Option<string?> CreatePriority()
    {
        var option = new Option<string?>("--channel-priority") { Description = "strict (default), flexible or disabled" };
        option.AcceptOnlyFromAmong("strict", "flexible", "disabled");
        return option;
    }

    internal sealed record Values(
        string? Name, string? Prefix, string[] Channels, bool OverrideChannels, string? Platform, string? Priority, bool DryRun, bool Json, bool Yes, bool Quiet, bool NoPyc, bool Clobber, bool Offline, bool UseIndexCache, bool NoScripts, bool Copy = false)
    {
        public ChangeContext Context(Prefix prefix, string platform, KraitLocations locations, CondaConfig config, Remote.RemoteAccess? remote = null, IReadOnlyList<Channel>? channels = null) =>
            new(prefix, DryRun, Json, Yes, Quiet, platform, locations, config, CompilePyc: !NoPyc, Clobber: Clobber, NoScripts: NoScripts) { Remote = remote, Channels = channels ?? [], AlwaysCopy = Copy };

        public ChannelPriority ChannelPriority(CondaConfig config) => ChannelPriorities.Parse(Priority ?? config.ChannelPriority);
    }
}

/// <summary>conda's <c>channel_priority</c> values.</summary>
internal static class ChannelPriorities
{
    public static ChannelPriority Parse(string text) => text switch
    {
        "flexible" => ChannelPriority.Flexible,
        "disabled" => ChannelPriority.Disabled,
        "strict" => ChannelPriority.Strict,
        var other => throw new KraitException("ArgumentError", $"channel_priority '{other}' is not one of strict, flexible, disabled"),
    };
}

/// <summary>A file of specs (<c>--file</c>): one per line, <c>#</c> comments and blank lines skipped.</summary>
internal static class SpecFile
{
    public static IReadOnlyList<string> Read(string? path)
    {
        if (path is null)
        {
            return [];
        }

        if (!File.Exists(path))
        {
            throw new KraitException("CondaFileIOError", $"{path} does not exist");
        }

        return Parse(File.ReadAllText(path));
    }

    public static IReadOnlyList<string> Parse(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
}
