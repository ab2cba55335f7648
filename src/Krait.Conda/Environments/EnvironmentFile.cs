using Krait.Conda.Parsing;
using YamlDotNet.RepresentationModel;

namespace Krait.Conda.Environments;

/// <summary>
/// An <c>environment.yml</c> (CEP-24): <c>name</c>, <c>channels</c>, <c>dependencies</c> (conda specs) and an optional
/// <c>prefix</c>, and the <c>platforms</c> a lockfile is made for (conda-lock's extension). A <c>pip:</c> section is reported, not ignored, because Krait does not install from PyPI yet.
/// </summary>
public sealed record EnvironmentFile(string? Name, IReadOnlyList<string> Channels, IReadOnlyList<string> Dependencies, string? Prefix, IReadOnlyList<string>? Platforms = null)
{
    public static EnvironmentFile Parse(string yaml, string source)
    {
        var stream = YamlText.Load(yaml, source);

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException($"{source}: an environment file must be a mapping with name, channels and dependencies");
        }

        string? Scalar(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value : null;
        List<string> Strings(string key, bool allowPip)
        {
            var result = new List<string>();
            if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is YamlScalarNode { Value: null or "" })
            {
                return result;
            }

            if (node is not YamlSequenceNode sequence)
            {
                throw new FormatException($"{source}:{node.Start.Line}: '{key}' must be a list");
            }

            foreach (var item in sequence)
            {
                switch (item)
                {
                    case YamlScalarNode { Value: { } value }:
                        result.Add(value);
                        break;
                    case YamlMappingNode mapping when allowPip && mapping.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "pip"):
                        throw new NotSupportedException($"{source}:{item.Start.Line}: the pip: section is not supported yet; install those packages with pip after creating the environment");
                    default:
                        throw new FormatException($"{source}:{item.Start.Line}: the entries of '{key}' must be strings");
                }
            }

            return result;
        }

        return new EnvironmentFile(Scalar("name"), Strings("channels", allowPip: false), Strings("dependencies", allowPip: true), Scalar("prefix"), Strings("platforms", allowPip: false));
    }
}
