using YamlDotNet.RepresentationModel;
using static Krait.Conda.Lockfiles.LockYaml;

namespace Krait.Conda.Lockfiles;

/// <summary>
/// pixi's <c>pixi.lock</c>, versions 6 and 7: <c>environments</c> (each with <c>channels</c> as <c>{url}</c> and, per
/// platform, references <c>{conda: URL}</c>, <c>{pypi: URL}</c> or <c>{conda_source: NAME[HASH] @ PATH}</c>) into one
/// <c>packages</c> list holding each package's record once (<c>sha256</c>, <c>md5</c>, <c>depends</c>, <c>size</c>;
/// <c>name</c>, <c>version</c>, <c>build</c>, <c>subdir</c> when the URL does not give them). Version 7 lists
/// <c>platforms</c> by name, each with its conda <c>subdir</c> (default: the name).
/// </summary>
internal static class PixiLock
{
    private static readonly string[] Kinds = ["conda", "pypi", "conda_source"];

    public static LockFile Read(YamlMappingNode root, string source)
    {
        var version = RequiredText(root, "version", source);
        if (version is not ("6" or "7"))
        {
            throw Error(source, Child(root, "version")!, $"pixi.lock version {version} is not supported (Krait reads versions 6 and 7; pixi updates older ones with `pixi lock`)");
        }

        var subdirs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in Sequence(root, "platforms", source))
        {
            var platform = node as YamlMappingNode ?? throw Error(source, node, "each platform must be a mapping with a name");
            var name = RequiredText(platform, "name", source);
            subdirs[name] = Text(platform, "subdir", source) ?? name;
        }

        var records = new Dictionary<(string Kind, string Locator), YamlMappingNode>();
        foreach (var node in Sequence(root, "packages", source))
        {
            var entry = node as YamlMappingNode ?? throw Error(source, node, "each package must be a mapping");
            var (kind, locator) = Reference(entry, source);
            records[(kind, locator)] = entry;
        }

        var environments = new Dictionary<string, LockEnvironment>(StringComparer.Ordinal);
        var platforms = new SortedSet<string>(subdirs.Keys, StringComparer.Ordinal);
        if (Mapping(root, "environments", source) is { } declared)
        {
            foreach (var (key, value) in declared.Children)
            {
                var name = ((YamlScalarNode)key).Value ?? string.Empty;
                var environment = value as YamlMappingNode ?? throw Error(source, value, $"the environment '{name}' must be a mapping");
                var channels = Sequence(environment, "channels", source)
                    .Select(c => c is YamlMappingNode mapping ? RequiredText(mapping, "url", source) : throw Error(source, c, "a channel must be {url: …}"))
                    .ToList();
                var packages = new Dictionary<string, IReadOnlyList<LockedPackage>>(StringComparer.Ordinal);
                if (Mapping(environment, "packages", source) is { } byPlatform)
                {
                    foreach (var (platformKey, references) in byPlatform.Children)
                    {
                        var platform = ((YamlScalarNode)platformKey).Value ?? string.Empty;
                        if (subdirs.Count > 0 && !subdirs.ContainsKey(platform))
                        {
                            throw Error(source, platformKey, $"the environment '{name}' uses the platform '{platform}', which 'platforms' does not list");
                        }

                        platforms.Add(platform);
                        var subdir = subdirs.GetValueOrDefault(platform) ?? platform;
                        packages[platform] = references is YamlSequenceNode list
                            ? [.. list.Children.Select(r => Locked(r, records, subdir, source))]
                            : throw Error(source, references, $"the packages of '{name}' on '{platform}' must be a list");
                    }
                }

                environments[name] = new LockEnvironment(channels, packages);
            }
        }

        return new LockFile($"pixi.lock v{version}", [.. platforms], platforms.ToDictionary(p => p, p => subdirs.GetValueOrDefault(p) ?? p, StringComparer.Ordinal), environments, new Dictionary<string, string>());
    }

    private static (string Kind, string Locator) Reference(YamlMappingNode entry, string source)
    {
        foreach (var kind in Kinds)
        {
            if (Text(entry, kind, source) is { Length: > 0 } locator)
            {
                return (kind, locator);
            }
        }

        throw Error(source, entry, "a package must be one of conda:, pypi: or conda_source:");
    }

    private static LockedPackage Locked(YamlNode reference, Dictionary<(string, string), YamlMappingNode> records, string subdir, string source)
    {
        var key = Reference(reference as YamlMappingNode ?? throw Error(source, reference, "a package reference must be {conda: …}, {pypi: …} or {conda_source: …}"), source);
        if (!records.TryGetValue(key, out var entry))
        {
            throw Error(source, reference, $"the {key.Kind} package '{key.Locator}' is not in 'packages'");
        }

        var (kind, locator) = key;
        string? name = Text(entry, "name", source), version = Text(entry, "version", source), build = Text(entry, "build", source);
        if (kind == "conda" && Records.PackageFileName.TryParse(CondaLock.FileNameOf(locator), out var fileName, out var fileVersion, out var fileBuild))
        {
            (name, version, build) = (name ?? fileName, version ?? fileVersion, build ?? fileBuild);
        }
        else if (kind == "conda_source")
        {
            var bracket = locator.IndexOfAny(['[', ' ']);
            name ??= bracket < 0 ? locator : locator[..bracket];
        }

        return new LockedPackage(
            kind switch { "conda" => LockedPackageKind.Conda, "pypi" => LockedPackageKind.Pypi, _ => LockedPackageKind.CondaSource },
            Text(entry, "subdir", source) ?? (kind == "conda" ? CondaLock.SubdirOf(locator) : null) ?? subdir,
            name ?? throw Error(source, entry, $"the package '{locator}' has no name"),
            version ?? string.Empty,
            build,
            locator,
            Text(entry, "sha256", source),
            Text(entry, "md5", source),
            kind == "pypi" ? Strings(entry, "requires_dist", source) : Strings(entry, "depends", source),
            "main",
            false,
            Integer(entry, "size", source));
    }
}
