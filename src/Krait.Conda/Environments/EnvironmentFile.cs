using Krait.Conda.Parsing;
using YamlDotNet.RepresentationModel;

namespace Krait.Conda.Environments;

/// <summary>
/// An <c>environment.yml</c> (CEP-24): <c>name</c>, <c>channels</c>, <c>dependencies</c> (conda specs) and an optional
/// <c>prefix</c>, the <c>platforms</c> a lockfile is made for (conda-lock's extension), and the lines of a
/// <c>- pip:</c> entry of <c>dependencies</c>: pip requirements-file lines (requirements and options such as
/// <c>--index-url</c>), which pip installs after the conda packages.
/// </summary>
public sealed record EnvironmentFile(string? Name, IReadOnlyList<string> Channels, IReadOnlyList<string> Dependencies, string? Prefix, IReadOnlyList<string>? Platforms = null)
{
    /// <summary>The <c>pip:</c> section's lines, in order; empty when the file has none.</summary>
    public IReadOnlyList<string> PipRequirements { get; init; } = [];

    public static EnvironmentFile Parse(string yaml, string source)
    {
        var stream = YamlText.Load(yaml, source);

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException($"{source}: an environment file must be a mapping with name, channels and dependencies");
        }

        string? Scalar(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value : null;
        var pip = new List<string>();
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
                    case YamlMappingNode mapping when allowPip:
                        ReadPipSection(mapping, source, pip);
                        break;
                    default:
                        throw new FormatException($"{source}:{item.Start.Line}: the entries of '{key}' must be strings");
                }
            }

            return result;
        }

        return new EnvironmentFile(Scalar("name"), Strings("channels", allowPip: false), Strings("dependencies", allowPip: true), Scalar("prefix"), Strings("platforms", allowPip: false))
        {
            PipRequirements = pip,
        };
    }

    /// <summary>A <c>- pip: [...]</c> entry of <c>dependencies</c>; conda knows no other kind of mapping there.</summary>
    private static void ReadPipSection(YamlMappingNode mapping, string source, List<string> pip)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: "pip" })
            {
                throw new FormatException($"{source}:{key.Start.Line}: '{(key as YamlScalarNode)?.Value}:' in dependencies is not understood; the only section there is 'pip:'");
            }

            if (pip.Count > 0)
            {
                throw new FormatException($"{source}:{key.Start.Line}: a second 'pip:' section; put every pip requirement in one");
            }

            if (value is not YamlSequenceNode lines)
            {
                throw new FormatException($"{source}:{value.Start.Line}: 'pip:' must be a list of requirements, e.g. '- requests==2.32.3'");
            }

            foreach (var line in lines)
            {
                if (line is not YamlScalarNode { Value: { Length: > 0 } text })
                {
                    throw new FormatException($"{source}:{line.Start.Line}: the entries of 'pip:' must be strings (requirements or pip options)");
                }

                pip.Add(text);
            }
        }
    }
}
