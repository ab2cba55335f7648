namespace Krait.Configuration.Settings;

/// <summary>The shape of a <c>.condarc</c> parameter's value.</summary>
public enum ParameterKind
{
    /// <summary>A list (<c>channels</c>): changed with --add/--prepend/--append/--remove.</summary>
    Sequence,

    /// <summary>A mapping of names to text (<c>custom_channels</c>): shown, not set from the command line.</summary>
    Map,

    /// <summary><c>true</c> or <c>false</c> (conda also takes yes/no, on/off, 1/0; Krait writes true/false).</summary>
    Boolean,

    /// <summary>Text, a number or one of a few choices.</summary>
    Text,
}

/// <summary>
/// The <c>.condarc</c> parameters <c>krait config</c> knows, with their kinds and, for choices, the values conda takes.
/// conda refuses a key it does not know, so that a typo is not silently kept; so does Krait.
/// </summary>
public static class ConfigParameters
{
    private static readonly Dictionary<string, (ParameterKind Kind, string[]? Choices)> Known = new(StringComparer.Ordinal)
    {
        ["channels"] = (ParameterKind.Sequence, null),
        ["default_channels"] = (ParameterKind.Sequence, null),
        ["pkgs_dirs"] = (ParameterKind.Sequence, null),
        ["envs_dirs"] = (ParameterKind.Sequence, null),
        ["pinned_packages"] = (ParameterKind.Sequence, null),
        ["create_default_packages"] = (ParameterKind.Sequence, null),
        ["allowlist_channels"] = (ParameterKind.Sequence, null),
        ["denylist_channels"] = (ParameterKind.Sequence, null),
        ["disallowed_packages"] = (ParameterKind.Sequence, null),
        ["custom_channels"] = (ParameterKind.Map, null),
        ["custom_multichannels"] = (ParameterKind.Map, null),
        ["proxy_servers"] = (ParameterKind.Map, null),
        ["add_pip_as_python_dependency"] = (ParameterKind.Boolean, null),
        ["always_yes"] = (ParameterKind.Boolean, null),
        ["always_copy"] = (ParameterKind.Boolean, null),
        ["auto_activate_base"] = (ParameterKind.Boolean, null),
        ["auto_update_conda"] = (ParameterKind.Boolean, null),
        ["changeps1"] = (ParameterKind.Boolean, null),
        ["offline"] = (ParameterKind.Boolean, null),
        ["use_index_cache"] = (ParameterKind.Boolean, null),
        ["report_errors"] = (ParameterKind.Boolean, null),
        ["notify_outdated_conda"] = (ParameterKind.Boolean, null),
        ["channel_priority"] = (ParameterKind.Text, ["strict", "flexible", "disabled"]),
        ["path_conflict"] = (ParameterKind.Text, ["clobber", "warn", "prevent"]),
        ["safety_checks"] = (ParameterKind.Text, ["disabled", "warn", "enabled"]),
        ["extra_safety_checks"] = (ParameterKind.Boolean, null),
        ["link_scripts"] = (ParameterKind.Text, ["run", "skip"]),
        ["ssl_verify"] = (ParameterKind.Text, null),
        ["channel_alias"] = (ParameterKind.Text, null),
        ["solver"] = (ParameterKind.Text, null),
        ["auto_stack"] = (ParameterKind.Text, null),
        ["env_prompt"] = (ParameterKind.Text, null),
        ["fetch_threads"] = (ParameterKind.Text, null),
        ["link_script_timeout"] = (ParameterKind.Text, null),
        ["remote_connect_timeout_secs"] = (ParameterKind.Text, null),
        ["remote_read_timeout_secs"] = (ParameterKind.Text, null),
        ["remote_max_retries"] = (ParameterKind.Text, null),
        ["default_python"] = (ParameterKind.Text, null),
        ["channeldata_downloads_interval_seconds"] = (ParameterKind.Text, null),
    };

    public static IEnumerable<string> Names => Known.Keys.Order(StringComparer.Ordinal);

    public static bool IsKnown(string key) => Known.ContainsKey(key);

    public static ParameterKind KindOf(string key) =>
        Known.TryGetValue(key, out var parameter) ? parameter.Kind : throw new ConfigException($"'{key}' is not a configuration parameter conda or Krait knows");

    /// <summary>The value as it is written, or a <see cref="ConfigException"/> saying what the key takes.</summary>
    public static string Normalise(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var (kind, choices) = Known.TryGetValue(key, out var parameter) ? parameter : throw new ConfigException($"'{key}' is not a configuration parameter conda or Krait knows");
        switch (kind)
        {
            case ParameterKind.Boolean:
                return value.Trim().ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" or "1" => "true",
                    "false" or "no" or "off" or "0" => "false",
                    _ => throw new ConfigException($"'{key}' is true or false, not '{value}'"),
                };
            case ParameterKind.Text when choices is not null:
                return choices.Contains(value, StringComparer.Ordinal) ? value : throw new ConfigException($"'{key}' is one of {string.Join(", ", choices)}, not '{value}'");
            case ParameterKind.Text:
                return value;
            default:
                throw new ConfigException($"'{key}' is a {(kind == ParameterKind.Sequence ? "list: change it with --add, --append or --remove" : "mapping: edit it in the file")}, not a single value to --set");
        }
    }
}
