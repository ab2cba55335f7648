using System.Text.RegularExpressions;
using Krait.Conda.Parsing;
using YamlDotNet.RepresentationModel;

namespace Krait.Configuration.Settings;

/// <summary>
/// One <c>.condarc</c> file as text, changed key by key the way a person would edit it: a changed key's block (its line
/// and the indented or <c>- </c> lines under it) is rewritten in place, a new key is appended, a removed key's block
/// is cut out; every other line, comments and blank lines included, stays as it was. Each change is read back as YAML,
/// so the file is never left unreadable.
/// </summary>
public sealed partial class CondarcText
{
    private readonly string source;
    private List<string> lines;
    private YamlMappingNode root;

    private CondarcText(string source, List<string> lines, YamlMappingNode root)
    {
        this.source = source;
        this.lines = lines;
        this.root = root;
    }

    /// <summary>A file's text (empty for a file that does not exist yet); malformed YAML is a <see cref="ConfigException"/> naming the line.</summary>
    public static CondarcText Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return new CondarcText(source, lines, Read(text, source));
    }

    public string Text => lines.Count == 0 ? string.Empty : string.Join('\n', lines) + "\n";

    /// <summary>The file's keys in the order they appear.</summary>
    public IEnumerable<string> Keys => root.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty);

    public bool Has(string key) => Node(key) is not null;

    /// <summary>A key's value: text for a scalar, null for none.</summary>
    public string? Scalar(string key) => (Node(key) as YamlScalarNode)?.Value;

    /// <summary>A list key's entries (empty when absent); a key that is not a list is a <see cref="ConfigException"/>.</summary>
    public IReadOnlyList<string> Sequence(string key) => Node(key) switch
    {
        null or YamlScalarNode { Value: null or "" } => [],
        YamlSequenceNode sequence => [.. sequence.Children.Select(c => (c as YamlScalarNode)?.Value ?? throw new ConfigException($"{source}:{c.Start.Line}: the entries of '{key}' must be text"))],
        var other => throw new ConfigException($"{source}:{other.Start.Line}: '{key}' must be a list"),
    };

    /// <summary>A mapping key's entries (empty when absent).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Map(string key) => Node(key) switch
    {
        YamlMappingNode mapping => [.. mapping.Children.Select(c => new KeyValuePair<string, string>((c.Key as YamlScalarNode)?.Value ?? string.Empty, (c.Value as YamlScalarNode)?.Value ?? string.Empty))],
        _ => [],
    };

    /// <summary>
    /// Sets a single value, keeping a comment at the end of the key's line. Booleans (<see cref="ParameterKind.Boolean"/>)
    /// are written plain, as YAML booleans; everything else as text.
    /// </summary>
    public void SetScalar(string key, string value)
    {
        var plain = ConfigParameters.IsKnown(key) && ConfigParameters.KindOf(key) == ParameterKind.Boolean;
        var (start, end) = BlockOf(key);
        var comment = start >= 0 && end - start == 1 && lines[start].IndexOf(" #", StringComparison.Ordinal) is var at and > 0 && Node(key) is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) }
            ? lines[start][lines[start].AsSpan(0, at).TrimEnd().Length..]
            : string.Empty;
        Replace(key, [$"{key}: {(plain ? value : YamlScalar.Write(value))}{comment}"]);
    }

    public void SetSequence(string key, IReadOnlyList<string> values) =>
        Replace(key, values.Count == 0 ? [$"{key}: []"] : [$"{key}:", .. values.Select(v => $"  - {YamlScalar.Write(v)}")]);

    public void RemoveKey(string key) => Replace(key, null);

    private YamlNode? Node(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    /// <summary>Puts <paramref name="block"/> where the key's block is (or at the end), or cuts the block out when null.</summary>
    private void Replace(string key, IReadOnlyList<string>? block)
    {
        var changed = new List<string>(lines);
        var (start, end) = BlockOf(key);
        if (start < 0)
        {
            if (block is null)
            {
                return;
            }

            changed.AddRange(block);
        }
        else
        {
            changed.RemoveRange(start, end - start);
            if (block is not null)
            {
                changed.InsertRange(start, block);
            }
        }

        var text = changed.Count == 0 ? string.Empty : string.Join('\n', changed) + "\n";
        root = Read(text, source);
        lines = changed;
    }

    /// <summary>The lines of a top-level key: its own line, then every indented or <c>- </c> line, not trailing blanks or comments.</summary>
    private (int Start, int End) BlockOf(string key)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var match = TopLevelKey().Match(lines[i]);
            if (!match.Success || match.Groups["key"].Value.Trim('"', '\'') != key)
            {
                continue;
            }

            var end = i + 1;
            var last = i + 1;
            while (end < lines.Count && (lines[end].Length == 0 || char.IsWhiteSpace(lines[end][0]) || lines[end].StartsWith('-') || lines[end].StartsWith('#')))
            {
                if (lines[end].Length > 0 && !lines[end].TrimStart().StartsWith('#') && !string.IsNullOrWhiteSpace(lines[end]))
                {
                    last = end + 1;
                }
                else if (lines[end].StartsWith('#'))
                {
                    break; // a comment at the margin belongs to what follows it
                }

                end++;
            }

            return (i, last);
        }

        return (-1, -1);
    }

    private static YamlMappingNode Read(string text, string source)
    {
        YamlStream stream;
        try
        {
            stream = YamlText.Load(text, source);
        }
        catch (FormatException e)
        {
            throw new ConfigException(e.Message, e);
        }

        return stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }
            ? new YamlMappingNode()
            : stream.Documents[0].RootNode as YamlMappingNode ?? throw new ConfigException($"{source}: a condarc must be a mapping of keys to values");
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z_""'][\w.""'-]*)\s*:(\s|$)")]
    private static partial Regex TopLevelKey();
}
