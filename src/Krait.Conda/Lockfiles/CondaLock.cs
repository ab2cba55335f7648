using YamlDotNet.RepresentationModel;
using static Krait.Conda.Lockfiles.LockYaml;

namespace Krait.Conda.Lockfiles;

/// <summary>
/// conda-lock's <c>conda-lock.yml</c> (version 1): <c>metadata</c> (<c>channels</c> as <c>{url}</c>,
/// <c>platforms</c>, <c>content_hash</c> per platform, <c>sources</c>) and a flat <c>package</c> list whose entries
/// name their <c>platform</c>, <c>manager</c> (conda or pip), <c>url</c>, <c>hash: {md5, sha256}</c>,
/// <c>dependencies</c> (name → version spec), <c>category</c> and <c>optional</c>.
/// </summary>
internal static class CondaLock
{
    public static LockFile Read(YamlMappingNode root, string source)
    {
        if (Text(root, "version", source) is { } version && version != "1")
        {
            throw Error(source, Child(root, "version")!, $"conda-lock version {version} is not supported (Krait reads version 1)");
        }

        var metadata = Mapping(root, "metadata", source) ?? throw new FormatException($"{source}: a conda-lock file needs 'metadata'");
        var channels = Sequence(metadata, "channels", source)
            .Select(c => c switch
            {
                YamlMappingNode mapping => RequiredText(mapping, "url", source),
                YamlScalarNode { Value: { } url } => url,
                _ => throw Error(source, c, "a channel must be {url: …}"),
            })
            .ToList();
        var platforms = Strings(metadata, "platforms", source);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Mapping(metadata, "content_hash", source) is { } contentHash)
        {
            foreach (var (key, value) in contentHash.Children)
            {
                hashes[((YamlScalarNode)key).Value ?? string.Empty] = (value as YamlScalarNode)?.Value ?? throw Error(source, value, "a content hash must be text");
            }
        }

        var byPlatform = platforms.ToDictionary(p => p, _ => new List<LockedPackage>(), StringComparer.Ordinal);
        foreach (var node in Sequence(root, "package", source))
        {
            var entry = node as YamlMappingNode ?? throw Error(source, node, "each package must be a mapping");
            var platform = RequiredText(entry, "platform", source);
            if (!byPlatform.TryGetValue(platform, out var list))
            {
                throw Error(source, entry, $"the package's platform '{platform}' is not one of metadata.platforms ({string.Join(", ", platforms)})");
            }

            var manager = RequiredText(entry, "manager", source);
            var url = RequiredText(entry, "url", source);
            var hash = Mapping(entry, "hash", source);
            var depends = new List<string>();
            if (Mapping(entry, "dependencies", source) is { } dependencies)
            {
                foreach (var (key, value) in dependencies.Children)
                {
                    var spec = (value as YamlScalarNode)?.Value ?? throw Error(source, value, "a dependency's version must be text");
                    depends.Add(spec is "" or "*" ? ((YamlScalarNode)key).Value! : $"{((YamlScalarNode)key).Value} {spec}");
                }
            }

            var kind = manager switch
            {
                "conda" => LockedPackageKind.Conda,
                "pip" => LockedPackageKind.Pypi,
                _ => throw Error(source, entry, $"unknown manager '{manager}' (conda or pip)"),
            };
            string? build = null;
            if (kind == LockedPackageKind.Conda && Records.PackageFileName.TryParse(FileNameOf(url), out _, out _, out var fromUrl))
            {
                build = fromUrl;
            }

            list.Add(new LockedPackage(
                kind, kind == LockedPackageKind.Conda ? SubdirOf(url) ?? platform : platform, RequiredText(entry, "name", source), RequiredText(entry, "version", source), build, url,
                hash is null ? null : Text(hash, "sha256", source), hash is null ? null : Text(hash, "md5", source), depends,
                Text(entry, "category", source) ?? "main", Text(entry, "optional", source) is "true" or "True", null));
        }

        var environment = new LockEnvironment(channels, byPlatform.ToDictionary(p => p.Key, p => (IReadOnlyList<LockedPackage>)p.Value, StringComparer.Ordinal));
        return new LockFile("conda-lock v1", platforms, platforms.ToDictionary(p => p, p => p, StringComparer.Ordinal), new Dictionary<string, LockEnvironment>(StringComparer.Ordinal) { [LockFile.DefaultEnvironment] = environment }, hashes);
    }

    /// <summary>The file name a package URL ends in (without a query or fragment).</summary>
    public static string FileNameOf(string url)
    {
        var path = PathOf(url);
        return path[(path.LastIndexOf('/') + 1)..];
    }

    /// <summary>The subdir a package URL names (the folder its file is in, as channels lay them out), or null.</summary>
    public static string? SubdirOf(string url)
    {
        var path = PathOf(url);
        var file = path.LastIndexOf('/');
        var folder = file <= 0 ? -1 : path.LastIndexOf('/', file - 1);
        var subdir = file <= 0 ? null : path[(folder + 1)..file];
        return Records.PackageNaming.IsValidSubdir(subdir) ? subdir : null;
    }

    private static string PathOf(string url)
    {
        var end = url.IndexOfAny(['?', '#']);
        return end < 0 ? url : url[..end];
    }
}
