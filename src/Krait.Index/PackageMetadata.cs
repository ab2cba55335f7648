using System.Text.Json;
using System.Text.Json.Nodes;
using Krait.Conda.Records;
using Krait.Files;
using Krait.Packages;

namespace Krait.Index;

/// <summary>
/// Reads what the index needs of one archive (<see cref="IndexedPackage"/>) the way conda-index does: the record is
/// the package's <c>info/index.json</c> without the fields conda-index drops, plus the file's <c>md5</c>,
/// <c>sha256</c> and <c>size</c>; <c>timestamp</c> is the package's own (a package without one has none). The record
/// must be one Krait could install: it names the package its file name names, in the subdir it lies in, in conda's
/// grammar, with a version conda can order; otherwise a <see cref="HostileArchiveException"/> says why.
/// </summary>
public static class PackageMetadata
{
    public const string IndexJson = "info/index.json";
    public const string AboutJson = "info/about.json";
    public const string RunExportsJson = "info/run_exports.json";
    public const string PathsJson = "info/paths.json";

    private static readonly HashSet<string> Wanted = [IndexJson, AboutJson, RunExportsJson, PathsJson];

    /// <summary>Keys of index.json that conda-index leaves out of repodata (build-machine facts, not package facts).</summary>
    private static readonly string[] DroppedKeys =
        ["arch", "has_prefix", "mtime", "platform", "ucs", "requires_features", "binstar", "target-triplet", "machine", "operatingsystem"];

    /// <summary>The archive at <paramref name="path"/>, which lies in the folder of <paramref name="subdir"/> (null: the subdir its index.json names, as for an upload).</summary>
    public static IndexedPackage Read(string path, string? subdir)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fileName = Path.GetFileName(path);
        var info = new FileInfo(path);
        var (size, modified) = (info.Length, info.LastWriteTimeUtc.Ticks);
        var members = PackageInfoReader.Read(path, Wanted);
        if (!members.TryGetValue(IndexJson, out var indexJson))
        {
            throw new HostileArchiveException(fileName, IndexJson, "is missing: this is not a conda package");
        }

        JsonObject index;
        try
        {
            index = SortedJson.ParseObject(indexJson, IndexJson);
        }
        catch (JsonException e)
        {
            throw new HostileArchiveException(fileName, IndexJson, $"is not valid JSON ({e.Message})", e);
        }

        subdir ??= index["subdir"] is JsonValue own && own.TryGetValue<string>(out var named) && PackageNaming.IsValidSubdir(named) ? named
            : throw new HostileArchiveException(fileName, IndexJson, "names no valid \"subdir\": Krait cannot tell which platform the package is for");
        foreach (var key in DroppedKeys)
        {
            index.Remove(key);
        }

        var digest = FileDigest.Of(path);
        if (digest.Size != size)
        {
            throw new IOException($"{path} changed while it was being indexed; index again");
        }

        index["md5"] = digest.Md5;
        index["sha256"] = digest.Sha256;
        index["size"] = digest.Size;
        var record = SortedJson.ToBytes(index);
        var checkedRecord = Check(fileName, subdir, record);
        return new IndexedPackage(
            fileName,
            size,
            modified,
            checkedRecord.Name,
            checkedRecord.Version,
            checkedRecord.Timestamp ?? 0,
            record,
            ObjectOrNull(fileName, members, AboutJson),
            ObjectOrNull(fileName, members, RunExportsJson),
            members.TryGetValue(PathsJson, out var paths) ? PostInstallOf(fileName, paths) : PostInstall.None);
    }

    /// <summary>The record as Krait reads it, or why it cannot enter a channel.</summary>
    public static PackageRecord Check(string fileName, string subdir, byte[] record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var document = JsonDocument.Parse(record);
        var builder = new PackageRecordBuilder { DefaultSubdir = subdir };
        try
        {
            RecordJson.Read(document.RootElement, builder);
        }
        catch (InvalidDataException e)
        {
            throw new HostileArchiveException(fileName, IndexJson, e.Message, e);
        }

        if (builder.MissingIdentity is { } missing)
        {
            throw new HostileArchiveException(fileName, IndexJson, $"has no \"{missing}\"");
        }

        var parsed = builder.Build(fileName);
        if (RecordAdmission.Problem(parsed, builder.Problem) is { } problem)
        {
            throw new HostileArchiveException(fileName, IndexJson, $"cannot be indexed: {problem}");
        }

        if (PackageFileName.Problem(fileName, parsed.Name, parsed.Version, parsed.Build) is { } nameProblem)
        {
            throw new HostileArchiveException(fileName, IndexJson, $"names {parsed.Name} {parsed.Version} {parsed.Build}, but the file is named otherwise: {nameProblem}");
        }

        if (parsed.Subdir is { } own && own != subdir)
        {
            throw new HostileArchiveException(fileName, IndexJson, $"says the package is for '{own}', but it lies in '{subdir}'; move it to {own}/");
        }

        return parsed;
    }

    private static byte[]? ObjectOrNull(string fileName, Dictionary<string, byte[]> members, string member)
    {
        if (!members.TryGetValue(member, out var bytes))
        {
            return null;
        }

        try
        {
            return SortedJson.ToBytes(SortedJson.ParseObject(bytes, member));
        }
        catch (JsonException e)
        {
            throw new HostileArchiveException(fileName, member, $"is not a valid JSON object ({e.Message})", e);
        }
    }

    /// <summary>conda-index's post-install facts: prefix placeholders by file mode, activation folders, link scripts (<c>*/.*-post-link.*</c>).</summary>
    private static PostInstall PostInstallOf(string fileName, byte[] pathsJson)
    {
        var flags = PostInstall.None;
        try
        {
            using var document = JsonDocument.Parse(pathsJson);
            if (!document.RootElement.TryGetProperty("paths", out var paths) || paths.ValueKind != JsonValueKind.Array)
            {
                return flags;
            }

            foreach (var entry in paths.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("_path", out var pathValue) || pathValue.GetString() is not { } path)
                {
                    continue;
                }

                if (entry.TryGetProperty("prefix_placeholder", out var placeholder) && placeholder.ValueKind == JsonValueKind.String && placeholder.GetString()!.Length > 0)
                {
                    var mode = entry.TryGetProperty("file_mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    flags |= mode == "binary" ? PostInstall.BinaryPrefix : mode == "text" ? PostInstall.TextPrefix : PostInstall.None;
                }

                flags |= path.StartsWith("etc/conda/activate.d", StringComparison.Ordinal) ? PostInstall.ActivateD : PostInstall.None;
                flags |= path.StartsWith("etc/conda/deactivate.d", StringComparison.Ordinal) ? PostInstall.DeactivateD : PostInstall.None;
                flags |= LinkScript(path, "pre-link") ? PostInstall.PreLink : PostInstall.None;
                flags |= LinkScript(path, "post-link") ? PostInstall.PostLink : PostInstall.None;
                flags |= LinkScript(path, "pre-unlink") ? PostInstall.PreUnlink : PostInstall.None;
            }
        }
        catch (JsonException e)
        {
            throw new HostileArchiveException(fileName, PathsJson, $"is not valid JSON ({e.Message})", e);
        }

        return flags;
    }

    /// <summary>fnmatch's <c>*/.*-KIND.*</c>: a dot-file in some folder whose name holds <c>-KIND.</c>.</summary>
    private static bool LinkScript(string path, string kind)
    {
        var marker = $"-{kind}.";

        // fnmatch's '*' crosses '/', so the dot-file may be any segment after the first slash that starts with '.'.
        for (var i = path.IndexOf('/', StringComparison.Ordinal); i >= 0; i = path.IndexOf('/', i + 1))
        {
            if (i + 1 < path.Length && path[i + 1] == '.' && path.IndexOf(marker, i + 2, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
