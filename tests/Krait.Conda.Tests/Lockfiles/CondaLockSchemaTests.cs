using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Krait.Conda.Lockfiles;
using Krait.TestSupport;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Krait.Conda.Tests.Lockfiles;

/// <summary>
/// What Krait writes is what conda-lock reads: every real conda-lock file, written again by Krait, is valid against
/// conda-lock's own JSON schema of the format (the YAML read with YAML's core types, as conda-lock's reader does).
/// </summary>
public sealed class CondaLockSchemaTests
{
    private static readonly string CondaLockFiles = Path.Combine(RepoPaths.Data, "lockfiles", "conda-lock");
    private static readonly JsonSchema Schema = LoadSchema();

    public static TheoryData<string> EveryCondaLockFile() =>
        [.. Directory.EnumerateFiles(CondaLockFiles, "*.yml").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(EveryCondaLockFile))]
    public void Krait_s_conda_lock_file_is_valid_against_conda_lock_s_schema(string file)
    {
        // (Some of these files were written by older conda-lock releases, which the schema of today refuses: Krait's writing of them must pass.)
        var original = File.ReadAllText(Path.Combine(CondaLockFiles, file));
        var written = CondaLockWriter.Write(LockFile.Parse(original, file), ["environment.yml"]);
        Assert.True(Valid(written, out var error), $"{file} as Krait writes it: {error}");
    }

    [Fact]
    public void The_check_passes_a_file_conda_lock_wrote_and_fails_a_wrong_version_or_manager()
    {
        var original = File.ReadAllText(Path.Combine(CondaLockFiles, "zlib.conda-lock.yml"));
        Assert.True(Valid(original, out var why), $"the schema refuses conda-lock's own zlib.conda-lock.yml, so the test reads YAML wrongly: {why}");
        var written = CondaLockWriter.Write(LockFile.Parse(original, "zlib"), ["environment.yml"]);
        Assert.True(Valid(written, out _));
        Assert.False(Valid(written.Replace("version: 1\n", "version: 2\n", StringComparison.Ordinal), out _));
        Assert.False(Valid(written.Replace("  manager: conda\n", "  manager: apt\n", StringComparison.Ordinal), out _));
    }

    /// <summary>
    /// The schema without its <c>$id</c>: JsonSchema.Net 8 registers a draft-07 root under its <c>$id</c> twice and
    /// refuses the second time; nothing in the schema refers to itself by that URI.
    /// </summary>
    private static JsonSchema LoadSchema()
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(CondaLockFiles, "conda-lock-v1.schema.json")))!.AsObject();
        document.Remove("$id");
        return JsonSchema.FromText(document.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static bool Valid(string yaml, out string errors)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var json = JsonSerializer.SerializeToElement(ToJson(stream.Documents[0].RootNode));
        var result = Schema.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        errors = string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(5));
        return result.IsValid;
    }

    /// <summary>YAML's core schema: plain true/false, null, integers and floats typed; everything quoted, and the rest, text.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } flag => JsonValue.Create(flag.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "null" or "~" or "" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain } plain when long.TryParse(plain.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
        YamlScalarNode { Style: ScalarStyle.Plain } plain when double.TryParse(plain.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
