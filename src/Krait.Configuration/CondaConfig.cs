using Krait.Conda.Channels;
using Krait.Conda.Parsing;
using YamlDotNet.RepresentationModel;

namespace Krait.Configuration;

/// <summary>
/// The settings conda reads from <c>.condarc</c> files, merged in conda's order (system, user, environment,
/// <c>$CONDARC</c>): a later file's scalars win, and its list entries come first, without duplicates.
/// </summary>
public sealed class CondaConfig
{

    private readonly Dictionary<string, List<string>> lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> scalars = new(StringComparer.Ordinal);
    private readonly List<string> filesRead = [];
    private readonly Dictionary<string, Dictionary<string, string>> mappings = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Channels => List("channels");

    public IReadOnlyList<string> DefaultChannels => List("default_channels");

    public IReadOnlyList<string> PkgsDirs => List("pkgs_dirs");

    public IReadOnlyList<string> EnvsDirs => List("envs_dirs");

    /// <summary><c>pinned_packages</c>: specs every environment's solves must respect.</summary>
    public IReadOnlyList<string> PinnedPackages => List("pinned_packages");

    public string ChannelAlias => Scalar("channel_alias") ?? Channel.DefaultChannelAlias;

    /// <summary><c>strict</c> (conda's default), <c>flexible</c> or <c>disabled</c>.</summary>
    public string ChannelPriority => Scalar("channel_priority") ?? "strict";

    /// <summary>conda's <c>add_pip_as_python_dependency</c>: true unless set to false.</summary>
    public bool AddPipAsPythonDependency => Flag("add_pip_as_python_dependency", defaultValue: true);

    /// <summary>conda's <c>changeps1</c>: show the active environment in the prompt; true unless set to false.</summary>
    public bool ChangePrompt => Flag("changeps1", defaultValue: true);

    /// <summary>
    /// A boolean setting as YAML and conda's environment variables write it (<c>true</c>/<c>false</c>, <c>yes</c>/<c>no</c>,
    /// <c>on</c>/<c>off</c>, <c>1</c>/<c>0</c>, any case); <paramref name="defaultValue"/> when unset. Anything else is an error naming the key.
    /// </summary>
    public bool Flag(string key, bool defaultValue) => Scalar(key)?.Trim().ToLowerInvariant() switch
    {
        null or "" => defaultValue,
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        var other => throw new ConfigException($"{key}: '{other}' is not true or false"),
    };

    /// <summary>The files that were found and read, in the order they were merged.</summary>
    public IReadOnlyList<string> FilesRead => filesRead;

    public string? Scalar(string key) => scalars.GetValueOrDefault(key);

    /// <summary>Every key some file or variable set, in ordinal order (for <c>krait config --show</c>).</summary>
    public IEnumerable<string> Keys => scalars.Keys.Concat(lists.Keys).Concat(mappings.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>A list key's merged entries (empty when no file sets it).</summary>
    public IReadOnlyList<string> ListOf(string key) => List(key);

    /// <summary>A mapping key's merged entries (empty when no file sets it).</summary>
    public IReadOnlyDictionary<string, string> MapOf(string key) => Mapping(key);

    /// <summary>The files conda looks for, in merge order, for this environment.</summary>
    public static IReadOnlyList<string> SearchPath(Func<string, string?> environment, string home)
    {
        var paths = new List<string>();
        void Folder(string? root)
        {
            if (string.IsNullOrEmpty(root))
            {
                return;
            }

            paths.Add(Path.Combine(root, ".condarc"));
            paths.Add(Path.Combine(root, "condarc"));
            paths.Add(Path.Combine(root, "condarc.d"));
        }

        Folder("/etc/conda");
        Folder("/var/lib/conda");
        Folder(environment("CONDA_ROOT"));
        var xdg = environment("XDG_CONFIG_HOME");
        Folder(string.IsNullOrEmpty(xdg) ? null : Path.Combine(xdg, "conda"));
        Folder(Path.Combine(home, ".config", "conda"));
        Folder(Path.Combine(home, ".conda"));
        paths.Add(Path.Combine(home, ".condarc"));
        Folder(environment("CONDA_PREFIX"));
        if (environment("CONDARC") is { Length: > 0 } condarc)
        {
            paths.Add(condarc);
        }

        return paths;
    }

    /// <summary>Reads every existing file of the search path (a <c>condarc.d</c> folder: its .yml/.yaml files, sorted).</summary>
    public static CondaConfig Load(Func<string, string?>? environment = null, string? home = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        home ??= KraitLocations.Home;
        var config = new CondaConfig();
        foreach (var path in SearchPath(environment, home))
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
                {
                    config.Merge(File.ReadAllText(file), file);
                }
            }
            else if (File.Exists(path))
            {
                config.Merge(File.ReadAllText(path), path);
            }
        }

        config.ApplyEnvironment(environment);
        return config;
    }

    private static readonly string[] EnvironmentScalars =
        ["channel_priority", "channel_alias", "ssl_verify", "offline", "path_conflict", "fetch_threads", "safety_checks", "extra_safety_checks", "link_scripts", "link_script_timeout"];

    /// <summary>
    /// conda's environment variables over its files: <c>CONDA_CHANNEL_PRIORITY</c>, <c>CONDA_SSL_VERIFY</c>, … and
    /// <c>CONDA_CHANNELS</c>/<c>CONDA_DEFAULT_CHANNELS</c> (comma-separated); a <c>KRAIT_</c> variable wins over its
    /// <c>CONDA_</c> twin. (Package and environment folders come from <see cref="KraitLocations"/>.)
    /// </summary>
    private void ApplyEnvironment(Func<string, string?> environment)
    {
        string? Variable(string key) =>
            environment($"KRAIT_{key.ToUpperInvariant()}") is { Length: > 0 } krait ? krait : environment($"CONDA_{key.ToUpperInvariant()}") is { Length: > 0 } conda ? conda : null;

        foreach (var key in EnvironmentScalars)
        {
            if (Variable(key) is { } value)
            {
                scalars[key] = value;
            }
        }

        foreach (var key in new[] { "channels", "default_channels" })
        {
            if (Variable(key) is { } value)
            {
                lists[key] = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            }
        }

        // conda separates pins with '&' in its variable: a spec may hold commas ("numpy >=1.26,<2").
        if (Variable("pinned_packages") is { } pins)
        {
            lists["pinned_packages"] = [.. pins.Split('&', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }
    }

    /// <summary>Merges one file's YAML text over what was read before.</summary>
    public void Merge(string yaml, string source)
    {
        YamlStream stream;
        try
        {
            stream = YamlText.Load(yaml, source);
        }
        catch (FormatException e)
        {
            throw new ConfigException(e.Message, e);
        }

        filesRead.Add(source);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigException($"{source}:{stream.Documents[0].RootNode.Start.Line}: a condarc must be a mapping of keys to values");
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            var kind = Settings.ConfigParameters.IsKnown(key) ? Settings.ConfigParameters.KindOf(key) : Settings.ParameterKind.Text;
            if (kind == Settings.ParameterKind.Sequence)
            {
                MergeList(key, valueNode, source);
            }
            else if (kind == Settings.ParameterKind.Map)
            {
                MergeMapping(key, valueNode, source);
            }
            else if (valueNode is YamlScalarNode scalar && scalar.Value is not null)
            {
                scalars[key] = scalar.Value;
            }
        }
    }

    private void MergeList(string key, YamlNode node, string source)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw new ConfigException($"{source}:{node.Start.Line}: '{key}' must be a list");
        }

        var merged = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode { Value: { } value })
            {
                throw new ConfigException($"{source}:{item.Start.Line}: the entries of '{key}' must be strings");
            }

            merged.Add(value);
        }

        if (lists.TryGetValue(key, out var earlier))
        {
            merged.AddRange(earlier.Where(e => !merged.Contains(e, StringComparer.Ordinal)));
        }

        lists[key] = merged;
    }

    /// <summary>conda's <c>custom_channels</c>: channel name to the URL it lives under.</summary>
    public IReadOnlyDictionary<string, string> CustomChannels => Mapping("custom_channels");

    /// <summary>conda's <c>proxy_servers</c>: scheme (<c>http</c>, <c>https</c>) to proxy URL.</summary>
    public IReadOnlyDictionary<string, string> ProxyServers => Mapping("proxy_servers");

    private Dictionary<string, string> Mapping(string key) => mappings.TryGetValue(key, out var mapping) ? mapping : [];

    /// <summary>Later files override earlier ones key by key, as conda merges maps.</summary>
    private void MergeMapping(string key, YamlNode node, string source)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (node is not YamlMappingNode mapping)
        {
            throw new ConfigException($"{source}:{node.Start.Line}: '{key}' must be a mapping (name: value)");
        }

        if (!mappings.TryGetValue(key, out var merged))
        {
            mappings[key] = merged = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        foreach (var (entryKey, entryValue) in mapping.Children)
        {
            if (entryKey is not YamlScalarNode { Value: { } name } || entryValue is not YamlScalarNode { Value: { } value })
            {
                throw new ConfigException($"{source}:{entryKey.Start.Line}: the entries of '{key}' must be name: value strings");
            }

            merged[name] = value;
        }
    }

    private List<string> List(string key) => lists.TryGetValue(key, out var list) ? list : [];
}
