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

    /// <summary>channeldata.json of these subdirs' (patched) records.</summary>
    public static byte[] Build(IEnumerable<SubdirView> subdirs)
    {
        ArgumentNullException.ThrowIfNull(subdirs);
        var records = subdirs.Select(view => new SubdirRecords(
            view.Subdir,
            [.. view.Conda.Concat(view.TarBz2).Select(r => (view.Packages[r.Key], r.Value))])).ToList();
        return Render(Entries(records), records.Select(r => r.Subdir));
    }

    /// <summary>The entry of each package name the records have (the server recomputes only the names an upload touched).</summary>
    public static SortedDictionary<string, JsonObject> Entries(IEnumerable<SubdirRecords> subdirs)
    {
        ArgumentNullException.ThrowIfNull(subdirs);
        var builds = new Dictionary<string, List<VersionBuild>>(StringComparer.Ordinal);
        foreach (var subdir in subdirs)
        {
            foreach (var build in NewestPerVersion(subdir))
            {
                if (!builds.TryGetValue(build.Package.Name, out var list))
                {
                    builds[build.Package.Name] = list = [];
                }

                list.Add(build);
            }
        }

        var entries = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, list) in builds)
        {
            entries[name] = Entry(list);
        }

        return entries;
    }

    /// <summary>The document: <c>channeldata_version</c> 1, the entries by name, the channel's subdirs.</summary>
    public static byte[] Render(IEnumerable<KeyValuePair<string, JsonObject>> entries, IEnumerable<string> subdirs)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return Render(entries.Select(e => KeyValuePair.Create(e.Key, RenderEntry(e.Value))), subdirs);
    }

    /// <summary>One entry as it stands in the document (the server keeps these, and renders only the entries an upload changed).</summary>
    public static byte[] RenderEntry(JsonObject entry) => RecordFragments.Render(SortedJson.ToBytes(entry));

    /// <summary>The document from rendered entries (<see cref="RenderEntry"/>).</summary>
    public static byte[] Render(IEnumerable<KeyValuePair<string, byte[]>> renderedEntries, IEnumerable<string> subdirs)
    {
        ArgumentNullException.ThrowIfNull(renderedEntries);
        ArgumentNullException.ThrowIfNull(subdirs);
        var buffer = new MemoryStream();
        buffer.Write("{\n  \"channeldata_version\": 1,\n  \"packages\": {"u8);
        var first = true;
        foreach (var (name, entry) in renderedEntries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            buffer.Write(first ? "\n    "u8 : ",\n    "u8);
            buffer.Write(System.Text.Encoding.UTF8.GetBytes(JsonText.Quoted(name) + ": "));
            buffer.Write(entry);
            first = false;
        }

        buffer.Write(first ? "},\n  \"subdirs\": ["u8 : "\n  },\n  \"subdirs\": ["u8);
        var names = subdirs.Distinct().Order(StringComparer.Ordinal).ToList();
        buffer.Write(System.Text.Encoding.UTF8.GetBytes(names.Count == 0 ? "]\n}\n" : $"\n    {string.Join(",\n    ", names.Select(JsonText.Quoted))}\n  ]\n}}\n"));
        return buffer.ToArray();
    }

    /// <summary>One build standing for its version in a subdir: the package, its patched record and what conda-index merges over it.</summary>
    private sealed record VersionBuild(IndexedPackage Package, string Subdir, Version Version, JsonObject Data);

    private static IEnumerable<VersionBuild> NewestPerVersion(SubdirRecords subdir)
    {
        // .conda records first, and a .tar.bz2 only when it has no .conda twin (conda-index's choice).
        var conda = new HashSet<string>(subdir.Records.Where(r => ChannelLayout.IsConda(r.Package.FileName)).Select(r => PackageFileName.Stem(r.Package.FileName)), StringComparer.Ordinal);
        var candidates = subdir.Records.Where(r => ChannelLayout.IsConda(r.Package.FileName) || !conda.Contains(PackageFileName.Stem(r.Package.FileName)))
            .OrderBy(r => ChannelLayout.IsConda(r.Package.FileName) ? 0 : 1).ThenBy(r => r.Package.FileName, StringComparer.Ordinal);
        var newest = new Dictionary<(string, string), (IndexedPackage Package, byte[] Record)>();
        foreach (var (package, record) in candidates)
        {
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

            yield return new VersionBuild(package, subdir.Subdir, version, data);
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
