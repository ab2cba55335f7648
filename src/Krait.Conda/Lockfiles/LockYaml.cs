using Krait.Conda.Parsing;
using YamlDotNet.RepresentationModel;

namespace Krait.Conda.Lockfiles;

/// <summary>Reading lockfile YAML with errors that say file, line and key: the few node accessors both formats share.</summary>
internal static class LockYaml
{
    public static YamlMappingNode Root(string yaml, string source)
    {
        var stream = YamlText.Load(yaml, source);
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw new FormatException($"{source}: a lockfile must be a YAML mapping");
    }

    public static YamlNode? Child(YamlMappingNode mapping, string key) => mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static string? Text(YamlMappingNode mapping, string key, string source) => Child(mapping, key) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value,
        var other => throw Error(source, other, $"'{key}' must be a single value"),
    };

    public static string RequiredText(YamlMappingNode mapping, string key, string source) =>
        Text(mapping, key, source) is { Length: > 0 } text ? text : throw Error(source, mapping, $"the entry has no '{key}'");

    public static YamlMappingNode? Mapping(YamlMappingNode mapping, string key, string source) => Child(mapping, key) switch
    {
        null or YamlScalarNode { Value: null or "" } => null,
        YamlMappingNode found => found,
        var other => throw Error(source, other, $"'{key}' must be a mapping"),
    };

    public static IReadOnlyList<YamlNode> Sequence(YamlMappingNode mapping, string key, string source) => Child(mapping, key) switch
    {
        null or YamlScalarNode { Value: null or "" } => [],
        YamlSequenceNode found => [.. found.Children],
        var other => throw Error(source, other, $"'{key}' must be a list"),
    };

    public static IReadOnlyList<string> Strings(YamlMappingNode mapping, string key, string source) =>
        [.. Sequence(mapping, key, source).Select(n => n is YamlScalarNode { Value: { } value } ? value : throw Error(source, n, $"the entries of '{key}' must be strings"))];

    public static long? Integer(YamlMappingNode mapping, string key, string source) =>
        Text(mapping, key, source) is not { } text ? null
        : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value
        : throw Error(source, Child(mapping, key)!, $"'{key}' must be a whole number, not '{text}'");

    public static FormatException Error(string source, YamlNode node, string message) => new($"{source}:{node.Start.Line}:{node.Start.Column}: {message}");
}
