using System.Text.Json;
using System.Text.Json.Nodes;
using Krait.Conda.Records;

namespace Krait.Index;

/// <summary>
/// CEP-38's <c>channeldata.json</c>, as conda-index derives it: for each package name, from the newest build of each
/// of its versions in every subdir (a <c>.conda</c> standing for its <c>.tar.bz2</c> twin), the newest version; for
/// each descriptive field (<c>about.json</c>'s home, license, summary, description, dev_url, doc_url, source_url…,
/// the record's own fields winning) the value of the newest version that has one; post-install facts if any build
/// has them; its subdirs; <c>run_exports</c> per version; the newest timestamp in seconds.
/// </summary>
public static class ChannelData
{
    private static readonly string[] NewestFields =
    [
        "description", "dev_url", "doc_url", "doc_source_url", "home", "license", "source_url", "source_git_url", "summary",
        "icon_url", "icon_hash", "tags", "identifiers", "keywords", "recipe_origin",
    ];

    private static readonly (PostInstall Flag, string Key)[] PostInstallFields =
    [
        (PostInstall.BinaryPrefix, "binary_prefix"), (PostInstall.TextPrefix, "text_prefix"), (PostInstall.ActivateD, "activate.d"),
        (PostInstall.DeactivateD, "deactivate.d"), (PostInstall.PreLink, "pre_link"), (PostInstall.PostLink, "post_link"), (PostInstall.PreUnlink, "pre_unlink"),
    ];

    public static byte[] Build(IEnumerable<SubdirView> subdirs)
    {
        ArgumentNullException.ThrowIfNull(subdirs);
        var allSubdirs = new SortedSet<string>(StringComparer.Ordinal);
        var builds = new Dictionary<string, List<VersionBuild>>(StringComparer.Ordinal);
        foreach (var view in subdirs)
        {
            allSubdirs.Add(view.Subdir);
            foreach (var build in NewestPerVersion(view))
            {
                if (!builds.TryGetValue(build.Package.Name, out var list))
                {
                    builds[build.Package.Name] = list = [];
                }

                list.Add(build);
            }
        }

        var packages = new JsonObject();
        foreach (var (name, list) in builds.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            packages[name] = Entry(list);
        }

        var root = new JsonObject
        {
            ["channeldata_version"] = 1,
            ["packages"] = packages,
            ["subdirs"] = new JsonArray([.. allSubdirs.Select(s => (JsonNode)s)]),
        };
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, SortedJson.Indented))
        {
            SortedJson.Write(writer, root);
        }

        buffer.Write("\n"u8);
        return buffer.ToArray();
    }

    /// <summary>One build standing for its version in a subdir: the package, its patched record and what conda-index merges over it.</summary>
    private sealed record VersionBuild(IndexedPackage Package, string Subdir, Version Version, JsonObject Data);

    private static IEnumerable<VersionBuild> NewestPerVersion(SubdirView view)
    {
        // .conda records first, and a .tar.bz2 only when it has no .conda twin (conda-index's choice).
        var candidates = view.Conda.Concat(view.TarBz2.Where(t => !view.Conda.ContainsKey(PackageFileName.Stem(t.Key) + PackageFileName.CondaExtension)));
        var newest = new Dictionary<(string, string), (IndexedPackage Package, byte[] Record)>();
        foreach (var (fileName, record) in candidates)
        {
            var package = view.Packages[fileName];
            var key = (package.Name, package.Version);
            if (!newest.TryGetValue(key, out var existing) || existing.Package.Timestamp < package.Timestamp)
            {
                newest[key] = (package, record);
            }
        }

        foreach (var (package, record) in newest.Values)
        {
            if (!Version.TryParse(package.Version, out var version))
            {
                continue;
            }

            // conda-index's merge: about.json, then the post-install facts, then the record itself, later ones winning.
            var data = package.About is { } about ? SortedJson.ParseObject(about, "about.json") : [];
            foreach (var (key, value) in SortedJson.ParseObject(record, package.FileName))
            {
                data[key] = value?.DeepClone();
            }

            yield return new VersionBuild(package, view.Subdir, version, data);
        }
    }

    private static JsonObject Entry(List<VersionBuild> builds)
    {
        // Newest first: by version, then by timestamp.
        builds.Sort((a, b) => a.Version.CompareTo(b.Version) is var byVersion and not 0 ? -byVersion : Seconds(b.Package.Timestamp).CompareTo(Seconds(a.Package.Timestamp)));
        var entry = new JsonObject();
        foreach (var field in NewestFields)
        {
            foreach (var build in builds)
            {
                if (Truthy(build.Data[field]) is { } value)
                {
                    entry[field] = field is "description" or "summary" ? OneLine(value) : value.DeepClone();
                    break;
                }
            }
        }

        entry["version"] = builds[0].Package.Version;
        foreach (var (flag, key) in PostInstallFields)
        {
            entry[key] = builds.Any(b => (b.Package.PostInstall & flag) != 0);
        }

        entry["subdirs"] = new JsonArray([.. builds.Select(b => b.Subdir).Distinct().Order(StringComparer.Ordinal).Select(s => (JsonNode)s)]);
        var runExports = new JsonObject();
        foreach (var build in builds.OrderBy(b => b.Package.Timestamp))
        {
            if (build.Package.RunExports is { } exports && SortedJson.ParseObject(exports, "run_exports.json") is { Count: > 0 } parsed)
            {
                runExports[build.Package.Version] = parsed;
            }
        }

        entry["run_exports"] = runExports;
        entry["timestamp"] = builds.Max(b => Seconds(b.Package.Timestamp));
        return entry;
    }

    /// <summary>A value Python counts as true (not null, false, 0, an empty string, list or object).</summary>
    private static JsonNode? Truthy(JsonNode? value) => value switch
    {
        null => null,
        JsonObject { Count: 0 } or JsonArray { Count: 0 } => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.False or JsonValueKind.Null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0 => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() == 0 => null,
        _ => value,
    };

    /// <summary>conda-index keeps summaries and descriptions on one line: trimmed, newlines as spaces (a list of lines joined first).</summary>
    private static JsonNode OneLine(JsonNode value)
    {
        var text = value is JsonArray lines ? string.Concat(lines.Select(l => l?.ToString())) : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return text.Trim().Replace('\n', ' ');
    }

    /// <summary>conda-index's <c>_make_seconds</c>: timestamps past the year 9999 in seconds are milliseconds.</summary>
    private static long Seconds(long timestamp) => timestamp > RecordTimestamps.LastSecondOfYear9999 ? timestamp / 1000 : timestamp;
}
