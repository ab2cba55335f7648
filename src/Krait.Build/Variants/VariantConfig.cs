using Krait.Build.Recipes;
using YamlDotNet.RepresentationModel;

namespace Krait.Build.Variants;

/// <summary>
/// A variant configuration (<c>variants.yaml</c>, or conda-build's <c>conda_build_config.yaml</c>): for each key the
/// values to build for (<c>python: ["3.11", "3.12"]</c>), and <c>zip_keys</c>, groups of keys whose values go
/// together by position instead of multiplying. Later files override earlier ones key by key.
/// </summary>
public sealed class VariantConfig
{
    private readonly Dictionary<string, IReadOnlyList<string>> values = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyList<string>> zipKeys = [];

    public static VariantConfig Empty { get; } = new();

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Values => values;

    public IReadOnlyList<IReadOnlyList<string>> ZipKeys => zipKeys;

    /// <summary>
    /// Reads the files in order; a later file's key replaces an earlier one's. A <c>conda_build_config.yaml</c>'s line
    /// selectors (<c># [linux]</c>) are applied for <paramref name="targetPlatform"/>, as conda-build applies them.
    /// </summary>
    public static VariantConfig Read(IEnumerable<string> files, string? targetPlatform = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var config = new VariantConfig();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new RecipeException($"{file}: the variant configuration does not exist");
            }

            var text = File.ReadAllText(file);
            if (targetPlatform is not null && Path.GetFileName(file) == "conda_build_config.yaml")
            {
                var scope = new RecipeScope(new Dictionary<string, string>(), targetPlatform);
                text = string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select((line, i) => MetaYaml.ApplySelector(line, scope, file, i + 1) ?? string.Empty));
            }

            config.Add(text, file);
        }

        return config;
    }

    /// <summary>Adds one file's text (its selectors already applied).</summary>
    public void Add(string yaml, string file)
    {
        var stream = RecipeReader.LoadStream(yaml, file);

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new RecipeException(file, 1, 1, "a variant configuration is a mapping of keys to lists of values");
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? throw new RecipeException(file, keyNode.Start.Line, keyNode.Start.Column, "keys are plain names");
            if (key == "zip_keys")
            {
                zipKeys.Clear();
                zipKeys.AddRange(ZipGroups(valueNode, file));
                continue;
            }

            if (key is "pin_run_as_build" or "extend_keys" or "ignore_version")
            {
                continue; // conda-build settings that do not make variants
            }

            values[key] = valueNode switch
            {
                YamlSequenceNode list => [.. list.Select(item => Scalar(item, file, key))],
                YamlScalarNode scalar => [Scalar(scalar, file, key)],
                _ => throw new RecipeException(file, valueNode.Start.Line, valueNode.Start.Column, $"'{key}' is a value or a list of values"),
            };
        }

        foreach (var group in zipKeys)
        {
            var lengths = group.Where(values.ContainsKey).Select(k => values[k].Count).Distinct().ToList();
            if (lengths.Count > 1)
            {
                throw new RecipeException($"{file}: the zipped keys {string.Join(", ", group)} need lists of one length, not {string.Join(" and ", lengths)}");
            }
        }
    }

    /// <summary>
    /// Every combination of the values of <paramref name="keys"/> (the ones the recipe uses): a zip group moves as one,
    /// everything else multiplies. Keys with no values here are left out. No keys: one empty combination.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Combinations(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var used = keys.Where(values.ContainsKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var dimensions = new List<List<Dictionary<string, string>>>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in used)
        {
            if (!placed.Add(key))
            {
                continue;
            }

            var group = zipKeys.FirstOrDefault(g => g.Contains(key, StringComparer.Ordinal));
            var members = group is null ? [key] : group.Where(k => values.ContainsKey(k) && (used.Contains(k) || k == key)).ToList();
            members.ForEach(m => placed.Add(m));
            var count = values[members[0]].Count;
            dimensions.Add([.. Enumerable.Range(0, count).Select(i => members.ToDictionary(m => m, m => values[m][i], StringComparer.Ordinal))]);
        }

        IEnumerable<Dictionary<string, string>> combinations = [new Dictionary<string, string>(StringComparer.Ordinal)];
        foreach (var dimension in dimensions)
        {
            combinations = combinations.SelectMany(partial => dimension.Select(choice => new Dictionary<string, string>(partial.Concat(choice), StringComparer.Ordinal)));
        }

        return [.. combinations];
    }

    /// <summary>The first value of every key: what a recipe is rendered with to learn which keys it uses.</summary>
    public IReadOnlyDictionary<string, string> FirstValues() =>
        values.Where(p => p.Value.Count > 0).ToDictionary(p => p.Key, p => p.Value[0], StringComparer.Ordinal);

    private static string Scalar(YamlNode node, string file, string key) =>
        node is YamlScalarNode { Value: { } text } ? text : throw new RecipeException(file, node.Start.Line, node.Start.Column, $"the values of '{key}' are plain values");

    private static IEnumerable<IReadOnlyList<string>> ZipGroups(YamlNode node, string file)
    {
        if (node is not YamlSequenceNode groups)
        {
            throw new RecipeException(file, node.Start.Line, node.Start.Column, "zip_keys is a list of lists of keys");
        }

        foreach (var group in groups)
        {
            if (group is not YamlSequenceNode keys || keys.Children.Count < 2)
            {
                throw new RecipeException(file, group.Start.Line, group.Start.Column, "each zip_keys entry is a list of two or more keys");
            }

            yield return [.. keys.Select(k => Scalar(k, file, "zip_keys"))];
        }
    }
}
