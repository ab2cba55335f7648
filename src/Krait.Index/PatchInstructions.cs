using System.Text.Json;
using System.Text.Json.Nodes;
using Krait.Conda.Records;

namespace Krait.Index;

/// <summary>
/// A subdir's hotfixes, with conda-index's semantics (<c>patch_instructions_version</c> 1): <c>packages</c> and
/// <c>packages.conda</c> map a file name to the fields to change (a value replaces, an object merges into the
/// record's object; only records that exist are patched, and a <c>packages</c> patch of <c>x.tar.bz2</c> applies to
/// <c>x.conda</c> too, before the <c>.conda</c>-only patches); <c>revoke</c> marks records <c>revoked</c> and makes
/// them depend on <c>package_has_been_revoked</c> (which no channel has); <c>remove</c> takes them out and lists them
/// in <c>removed</c>.
/// </summary>
public sealed class PatchInstructions
{
    private const string RevokedDependency = "package_has_been_revoked";

    private PatchInstructions(JsonObject tarBz2, JsonObject conda, IReadOnlyList<string> revoke, IReadOnlyList<string> remove, byte[] source)
    {
        TarBz2 = tarBz2;
        Conda = conda;
        Revoke = revoke;
        Remove = remove;
        Source = source;
    }

    public JsonObject TarBz2 { get; }

    public JsonObject Conda { get; }

    public IReadOnlyList<string> Revoke { get; }

    public IReadOnlyList<string> Remove { get; }

    /// <summary>The instructions' bytes as read: the index cache compares them to know whether patched shards are stale.</summary>
    public byte[] Source { get; }

    /// <summary>Reads <c>patch_instructions.json</c>; <paramref name="origin"/> names it in errors (<see cref="InvalidDataException"/>).</summary>
    public static PatchInstructions Parse(byte[] json, string origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject root;
        try
        {
            root = SortedJson.ParseObject(json, origin);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin} is not valid JSON: {e.Message}", e);
        }

        if (root["patch_instructions_version"] is { } version && (version.GetValueKind() != JsonValueKind.Number || version.GetValue<double>() > 1))
        {
            throw new InvalidDataException($"{origin} has patch_instructions_version {version.ToJsonString()}; Krait reads version 1 (conda-index's)");
        }

        return new PatchInstructions(
            Section(root, "packages", origin),
            Section(root, "packages.conda", origin),
            FileNames(root, "revoke", origin),
            FileNames(root, "remove", origin),
            json);
    }

    /// <summary>Patches the records of one subdir in place (file name → record), and adds what was removed to <paramref name="removed"/>.</summary>
    public void Apply(SortedDictionary<string, byte[]> tarBz2Records, SortedDictionary<string, byte[]> condaRecords, SortedSet<string> removed)
    {
        ArgumentNullException.ThrowIfNull(tarBz2Records);
        ArgumentNullException.ThrowIfNull(condaRecords);
        ArgumentNullException.ThrowIfNull(removed);
        foreach (var (fileName, patch) in TarBz2)
        {
            Patch(tarBz2Records, fileName, patch);
            Patch(condaRecords, Twin(fileName), patch);
        }

        foreach (var (fileName, patch) in Conda)
        {
            Patch(condaRecords, fileName, patch);
        }

        foreach (var fileName in Revoke)
        {
            Revoked(tarBz2Records, fileName);
            Revoked(condaRecords, Twin(fileName));
        }

        foreach (var fileName in Remove)
        {
            if (tarBz2Records.Remove(fileName))
            {
                removed.Add(fileName);
            }

            if (condaRecords.Remove(Twin(fileName)))
            {
                removed.Add(Twin(fileName));
            }
        }
    }

    private static string Twin(string fileName) =>
        fileName.EndsWith(PackageFileName.TarBz2Extension, StringComparison.Ordinal) ? PackageFileName.Stem(fileName) + PackageFileName.CondaExtension : fileName;

    private static void Patch(SortedDictionary<string, byte[]> records, string fileName, JsonNode? patch)
    {
        if (patch is not JsonObject fields || !records.TryGetValue(fileName, out var record))
        {
            return;
        }

        var patched = SortedJson.ParseObject(record, fileName);
        Merge(patched, fields);
        records[fileName] = SortedJson.ToBytes(patched);
    }

    /// <summary>conda-index's merge: objects merge key by key, anything else (lists too) replaces.</summary>
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject nested && target[key] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static void Revoked(SortedDictionary<string, byte[]> records, string fileName)
    {
        if (!records.TryGetValue(fileName, out var record))
        {
            return;
        }

        var revoked = SortedJson.ParseObject(record, fileName);
        revoked["revoked"] = true;
        if (revoked["depends"] is not JsonArray depends)
        {
            revoked["depends"] = depends = [];
        }

        depends.Add((JsonNode)RevokedDependency);
        records[fileName] = SortedJson.ToBytes(revoked);
    }

    private static JsonObject Section(JsonObject root, string key, string origin) => root[key] switch
    {
        null => [],
        JsonObject section when section.All(p => p.Value is JsonObject) => section,
        _ => throw new InvalidDataException($"{origin}: \"{key}\" must map file names to objects of fields"),
    };

    private static List<string> FileNames(JsonObject root, string key, string origin)
    {
        if (root[key] is null)
        {
            return [];
        }

        if (root[key] is not JsonArray array || array.Any(n => n?.GetValueKind() != JsonValueKind.String))
        {
            throw new InvalidDataException($"{origin}: \"{key}\" must be a list of file names");
        }

        return [.. array.Select(n => n!.GetValue<string>())];
    }
}
