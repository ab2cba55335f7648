using Krait.Build.Recipes.Expressions;
using Krait.Conda.Parsing;
using Krait.Conda.Records;
using YamlDotNet.RepresentationModel;

namespace Krait.Build.Recipes;

/// <summary>
/// Reads a v1 recipe (<c>recipe.yaml</c>, CEP 13 and 14, as rattler-build reads it) for one variant: the
/// <c>context</c> first, in order, then everything else rendered with it (<see cref="TemplateRenderer"/>), then the
/// typed sections. A recipe with <c>outputs</c> gives one <see cref="RecipeOutput"/> per output, each inheriting
/// the top-level <c>source</c>, <c>build</c> and <c>about</c> (its own keys win, mappings merged).
/// </summary>
public static class RecipeReader
{
    private static readonly string[] TopLevelKeys = ["schema_version", "context", "package", "recipe", "source", "build", "requirements", "tests", "about", "extra", "outputs"];
    private static readonly string[] Inherited = ["source", "build", "about"];

    /// <summary>Parses the YAML of a recipe once; <see cref="Read"/> renders it for each variant.</summary>
    public static YamlMappingNode Load(string yaml, string file)
    {
        var stream = LoadStream(yaml, file);
        return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw new RecipeException(file, 1, 1, "a recipe is one YAML mapping (package, source, build, requirements…)");
    }

    /// <summary>YAML text of a recipe or a variant file, its syntax errors as <see cref="RecipeException"/>s with file, line and column.</summary>
    public static YamlStream LoadStream(string yaml, string file)
    {
        try
        {
            return YamlText.Load(yaml, file);
        }
        catch (FormatException e)
        {
            throw new RecipeException(e.Message, e);
        }
    }

    public static IReadOnlyList<RecipeOutput> Read(YamlMappingNode root, RecipeScope scope, string file)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(scope);
        foreach (var (key, value) in root.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name is null || Array.IndexOf(TopLevelKeys, name) < 0)
            {
                throw new RecipeException(file, key.Start.Line, key.Start.Column, $"unknown top-level key '{name}' (known: {string.Join(", ", TopLevelKeys)})");
            }

            if (name == "context")
            {
                DefineContext(value, scope, file);
            }
        }

        var rendered = new List<KeyValuePair<string, RecipeNode>>();
        foreach (var (key, value) in root.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name is not "context")
            {
                rendered.Add(new(name, TemplateRenderer.Render(value, scope, file)));
            }
        }

        var top = new RecipeMap(rendered, file, root.Start.Line, root.Start.Column);
        if (top["schema_version"] is RecipeScalar { Value: var version } schema && TemplateRenderer.TextOf(version) is not "1")
        {
            throw schema.Error($"schema_version {TemplateRenderer.TextOf(version)} is not known; Krait reads version 1");
        }

        if (top["outputs"] is not { } outputs)
        {
            if (top["recipe"] is { } recipeKey)
            {
                throw recipeKey.Error("'recipe:' is for recipes with 'outputs:'; a single package is named with 'package:'");
            }

            return [ReadOutput(top, top["package"] ?? throw top.Error("a recipe needs 'package:' with name and version"), scope)];
        }

        if (outputs is not RecipeList list || list.Items.Count == 0)
        {
            throw outputs.Error("'outputs:' must be a list of outputs, each with its 'package:'");
        }

        if (top["package"] is { } package)
        {
            throw package.Error("a recipe with 'outputs:' names itself with 'recipe:' (name, version); each output has its own 'package:'");
        }

        var recipeVersion = top["recipe"] is RecipeMap recipe ? recipe["version"] : null;
        var result = new List<RecipeOutput>();
        foreach (var item in list.Items)
        {
            if (item is not RecipeMap output)
            {
                throw item.Error("an output is a mapping with 'package:' and its own sections");
            }

            output.Allow("an output", "package", "source", "build", "requirements", "tests", "about", "extra");
            var merged = Merge(top, output);
            var packageNode = output["package"] ?? throw output.Error("an output needs 'package:' with its name");
            result.Add(ReadOutput(merged, packageNode, scope, recipeVersion));
        }

        var twice = result.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? result : throw list.Error($"two outputs are named '{twice.Key}'");
    }

    private static void DefineContext(YamlNode node, RecipeScope scope, string file)
    {
        if (node is not YamlMappingNode context)
        {
            throw new RecipeException(file, node.Start.Line, node.Start.Column, "'context:' is a mapping of names to values");
        }

        foreach (var (key, value) in context.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } name } || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new RecipeException(file, key.Start.Line, key.Start.Column, "context names are letters, digits and '_'");
            }

            var rendered = TemplateRenderer.Render(value, scope, file);
            scope.Define(name, rendered switch
            {
                RecipeScalar scalar => scalar.Value,
                RecipeList items => items.Items.Select(i => (i as RecipeScalar)?.Value).ToList(),
                _ => throw rendered.Error("a context value is a scalar or a list"),
            });
        }
    }

    /// <summary>An output's sections over the recipe's inherited ones: mappings merged key by key, anything else replaced.</summary>
    private static RecipeMap Merge(RecipeMap top, RecipeMap output)
    {
        var entries = new List<KeyValuePair<string, RecipeNode>>();
        foreach (var key in Inherited)
        {
            if (top[key] is { } inherited)
            {
                entries.Add(new(key, output[key] is { } own ? MergeNode(inherited, own) : inherited));
            }
        }

        entries.AddRange(output.Entries.Where(e => Array.IndexOf(Inherited, e.Key) < 0 || top[e.Key] is null));
        return new RecipeMap(entries, output.File, output.Line, output.Column);
    }

    private static RecipeNode MergeNode(RecipeNode inherited, RecipeNode own) => (inherited, own) switch
    {
        (RecipeMap a, RecipeMap b) => new RecipeMap(
            [.. a.Entries.Select(e => b[e.Key] is { } replaced ? new KeyValuePair<string, RecipeNode>(e.Key, MergeNode(e.Value, replaced)) : e), .. b.Entries.Where(e => a[e.Key] is null)],
            b.File, b.Line, b.Column),
        _ => own,
    };

    private static RecipeOutput ReadOutput(RecipeMap sections, RecipeNode packageNode, RecipeScope scope, RecipeNode? recipeVersion = null)
    {
        var package = Map(packageNode, "package").Allow("package", "name", "version");
        var name = Text(package["name"] ?? throw package.Error("'package:' needs 'name:'"), "package.name");
        if (!PackageNaming.IsValidName(name))
        {
            throw package["name"]!.Error($"'{name}' is not a package name (lowercase letters, digits, '-', '_', '.')");
        }

        var versionNode = package["version"] ?? recipeVersion ?? throw package.Error("'package:' needs 'version:' (or the recipe's 'recipe: version:')");
        var version = Text(versionNode, "package.version");
        if (!PackageNaming.IsValidVersion(version))
        {
            throw versionNode.Error($"'{version}' is not a conda version");
        }

        var build = ReadBuild(sections["build"], scope);
        return new RecipeOutput(
            name,
            version,
            build,
            ReadRequirements(sections["requirements"], scope),
            ReadSources(sections["source"]),
            ReadTests(sections["tests"]),
            ReadAbout(sections["about"]));
    }

    private static BuildSection ReadBuild(RecipeNode? node, RecipeScope scope)
    {
        if (node is null)
        {
            return new BuildSection(0, null, null, NoArchType.None, false, []);
        }

        var build = Map(node, "build").Allow("build", "number", "string", "script", "noarch", "skip", "python", "dynamic_linking", "always_copy_files", "always_include_files", "merge_build_and_host_envs", "variant", "prefix_detection", "post_process", "files");
        var number = build["number"] is { } numberNode
            ? long.TryParse(Text(numberNode, "build.number"), out var n) && n >= 0 ? n : throw numberNode.Error("build.number is a whole number, 0 or more")
            : 0;
        var noarch = build["noarch"] is { } noarchNode
            ? Text(noarchNode, "build.noarch") switch
            {
                "python" => NoArchType.Python,
                "generic" => NoArchType.Generic,
                var other => throw noarchNode.Error($"noarch is 'python' or 'generic', not '{other}'"),
            }
            : NoArchType.None;
        var entryPoints = build["python"] is { } python ? Strings(Map(python, "build.python").Allow("build.python", "entry_points", "skip_pyc_compilation", "use_python_app_entrypoint", "version_independent", "site_packages_path")["entry_points"], "build.python.entry_points") : [];
        return new BuildSection(number, build["string"] is { } s ? Text(s, "build.string") : null, ReadScript(build["script"]), noarch, Skip(build["skip"], scope), entryPoints);
    }

    /// <summary><c>skip: true</c>, <c>skip: win</c> or <c>skip: [win, "python == '3.8'"]</c>: conditions, any of which skips the output.</summary>
    private static bool Skip(RecipeNode? node, RecipeScope scope)
    {
        IEnumerable<RecipeNode> conditions = node switch
        {
            null => [],
            RecipeList list => list.Items,
            _ => [node],
        };
        foreach (var condition in conditions)
        {
            var value = (condition as RecipeScalar)?.Value;
            if (value is bool b ? b : value is string text && Evaluate(text, condition, scope))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Evaluate(string condition, RecipeNode at, RecipeScope scope)
    {
        if (condition is "true" or "false")
        {
            return condition == "true";
        }

        try
        {
            return Values.IsTrue(Expression.Parse(condition).Evaluate(scope));
        }
        catch (ExpressionException e)
        {
            throw new RecipeException(at.File, at.Line, at.Column + e.Offset, $"{e.Message} (in the condition '{condition}')");
        }
    }

    private static BuildScript? ReadScript(RecipeNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case RecipeScalar { Value: string text } when !text.Contains('\n', StringComparison.Ordinal) && (text.EndsWith(".sh", StringComparison.Ordinal) || text.EndsWith(".bat", StringComparison.Ordinal)):
                return new BuildScript(null, text, new Dictionary<string, string>());
            case RecipeScalar:
                return new BuildScript([Text(node, "build.script")], null, new Dictionary<string, string>());
            case RecipeList:
                return new BuildScript(Strings(node, "build.script"), null, new Dictionary<string, string>());
            case RecipeMap map:
                map.Allow("build.script", "file", "content", "env", "secrets", "interpreter");
                var environment = new Dictionary<string, string>(StringComparer.Ordinal);
                if (map["env"] is { } envNode)
                {
                    foreach (var (key, value) in Map(envNode, "build.script.env").Entries)
                    {
                        environment[key] = Text(value, $"build.script.env.{key}");
                    }
                }

                if (map["file"] is { } file)
                {
                    return new BuildScript(null, Text(file, "build.script.file"), environment);
                }

                return map["content"] is { } content
                    ? new BuildScript(content is RecipeList ? Strings(content, "build.script.content") : [Text(content, "build.script.content")], null, environment)
                    : throw map.Error("build.script needs 'file:' or 'content:'");
            default:
                throw node.Error("build.script is a command, a list of commands, a file name, or {file|content, env}");
        }
    }

    private static RecipeRequirements ReadRequirements(RecipeNode? node, RecipeScope scope)
    {
        if (node is null)
        {
            return RecipeRequirements.None;
        }

        var requirements = Map(node, "requirements").Allow("requirements", "build", "host", "run", "run_constraints", "run_exports", "ignore_run_exports");
        var ignore = requirements["ignore_run_exports"] is { } ignoreNode ? Map(ignoreNode, "ignore_run_exports").Allow("ignore_run_exports", "from_package", "by_name") : null;
        return new RecipeRequirements(
            Requirements(requirements["build"], "requirements.build", scope, free: true),
            Requirements(requirements["host"], "requirements.host", scope, free: true),
            Requirements(requirements["run"], "requirements.run", scope, free: false),
            Requirements(requirements["run_constraints"], "requirements.run_constraints", scope, free: false),
            ReadRunExports(requirements["run_exports"], scope),
            Strings(ignore?["from_package"], "ignore_run_exports.from_package"),
            Strings(ignore?["by_name"], "ignore_run_exports.by_name"));
    }

    private static RunExports ReadRunExports(RecipeNode? node, RecipeScope scope)
    {
        switch (node)
        {
            case null:
                return RunExports.None;
            case RecipeList:
                return RunExports.None with { Weak = Requirements(node, "run_exports", scope, free: false) };
            case RecipeMap map:
                map.Allow("run_exports", "weak", "strong", "noarch", "weak_constraints", "strong_constraints");
                return new RunExports(
                    Requirements(map["weak"], "run_exports.weak", scope, free: false),
                    Requirements(map["strong"], "run_exports.strong", scope, free: false),
                    Requirements(map["noarch"], "run_exports.noarch", scope, free: false),
                    Requirements(map["weak_constraints"], "run_exports.weak_constraints", scope, free: false),
                    Requirements(map["strong_constraints"], "run_exports.strong_constraints", scope, free: false));
            default:
                throw node.Error("run_exports is a list (weak) or a mapping of weak, strong, noarch, weak_constraints, strong_constraints");
        }
    }

    /// <summary>
    /// A list of requirements. In <c>build</c> and <c>host</c> a free requirement (a bare name) named like a variant key
    /// takes the variant's version (<c>python</c> → <c>python 3.11.*</c>), which makes the key part of the build hash.
    /// </summary>
    private static List<RecipeRequirement> Requirements(RecipeNode? node, string section, RecipeScope scope, bool free)
    {
        var result = new List<RecipeRequirement>();
        foreach (var item in Items(node, section))
        {
            if (item is RecipeScalar { Value: PinRequest pin })
            {
                result.Add(new RecipeRequirement(null, pin));
                continue;
            }

            var spec = Text(item, section).Trim();
            if (spec.Length == 0)
            {
                throw item.Error($"an empty requirement in {section}");
            }

            if (free && spec.AsSpan().IndexOfAny(" =<>!~[") < 0 && scope.UseVariant(spec) is { } pinned)
            {
                spec = $"{spec} {Specs.VersionSpecText(pinned)}";
            }

            try
            {
                Krait.Conda.Specs.MatchSpec.Parse(spec);
            }
            catch (Krait.Conda.Parsing.ConstraintParseException e)
            {
                throw item.Error($"'{spec}' in {section} is not a match spec: {e.Message}");
            }

            result.Add(new RecipeRequirement(spec, null));
        }

        return result;
    }

    private static List<RecipeSource> ReadSources(RecipeNode? node)
    {
        var result = new List<RecipeSource>();
        foreach (var item in node is RecipeMap single ? [single] : Items(node, "source"))
        {
            var source = Map(item, "source").Allow("source", "path", "url", "sha256", "md5", "git", "rev", "tag", "branch", "depth", "file_name", "target_directory", "patches", "use_gitignore", "lfs");
            var path = Optional(source["path"], "source.path");
            var url = Optional(source["url"], "source.url");
            var git = Optional(source["git"], "source.git");
            if ((path is null ? 0 : 1) + (url is null ? 0 : 1) + (git is null ? 0 : 1) != 1)
            {
                throw source.Error("a source is exactly one of 'path:', 'url:' or 'git:'");
            }

            var sha256 = Optional(source["sha256"], "source.sha256");
            var md5 = Optional(source["md5"], "source.md5");
            if (url is not null && sha256 is null && md5 is null)
            {
                throw source.Error("a 'url:' source needs 'sha256:' (or 'md5:'), so that what is downloaded is what the recipe means");
            }

            if (sha256 is not null && (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit)))
            {
                throw source["sha256"]!.Error("sha256 is 64 hexadecimal digits");
            }

            var revision = Optional(source["rev"], "source.rev") ?? Optional(source["tag"], "source.tag") ?? Optional(source["branch"], "source.branch");
            result.Add(new RecipeSource(path, url, sha256?.ToLowerInvariant(), md5?.ToLowerInvariant(), git, revision, Optional(source["file_name"], "source.file_name"), Optional(source["target_directory"], "source.target_directory"), Strings(source["patches"], "source.patches")));
        }

        return result;
    }

    private static List<RecipeTest> ReadTests(RecipeNode? node)
    {
        var result = new List<RecipeTest>();
        foreach (var item in Items(node, "tests"))
        {
            var test = Map(item, "a test");
            if (test["script"] is { } script)
            {
                test.Allow("a script test", "script", "requirements", "files");
                var requirements = test["requirements"] is { } r ? Map(r, "tests.requirements").Allow("tests.requirements", "run", "build") : null;
                var files = test["files"] is { } f ? Map(f, "tests.files").Allow("tests.files", "source", "recipe") : null;
                var lines = script is RecipeMap scriptMap
                    ? Strings(scriptMap.Allow("tests.script", "content", "interpreter", "env")["content"], "tests.script.content")
                    : script is RecipeList ? Strings(script, "tests.script") : [Text(script, "tests.script")];
                result.Add(new ScriptTest(lines, Strings(requirements?["run"], "tests.requirements.run"), Strings(files?["source"], "tests.files.source"), Strings(files?["recipe"], "tests.files.recipe")));
            }
            else if (test["python"] is { } python)
            {
                test.Allow("a python test", "python");
                var section = Map(python, "tests.python").Allow("tests.python", "imports", "pip_check", "python_version");
                var pipCheck = section["pip_check"] is RecipeScalar { Value: var check } ? TemplateRenderer.TextOf(check) is "true" or "True" : true;
                result.Add(new PythonTest(Strings(section["imports"], "tests.python.imports"), pipCheck));
            }
            else if (test["package_contents"] is { } contents)
            {
                test.Allow("a package_contents test", "package_contents");
                var section = Map(contents, "tests.package_contents").Allow("tests.package_contents", "files", "site_packages", "bin", "lib", "include", "strict");
                result.Add(new PackageContentsTest(Strings(section["files"], "package_contents.files"), Strings(section["site_packages"], "package_contents.site_packages"), Strings(section["bin"], "package_contents.bin"), Strings(section["lib"], "package_contents.lib"), Strings(section["include"], "package_contents.include")));
            }
            else
            {
                throw test.Error("a test is 'script:', 'python:' or 'package_contents:'");
            }
        }

        return result;
    }

    private static AboutSection ReadAbout(RecipeNode? node)
    {
        if (node is null)
        {
            return new AboutSection(null, null, null, null, [], null, null);
        }

        var about = Map(node, "about").Allow("about", "homepage", "repository", "documentation", "license", "license_family", "license_file", "summary", "description", "license_url", "prelink_message");
        var licenseFiles = about["license_file"] is RecipeScalar single ? [Text(single, "about.license_file")] : Strings(about["license_file"], "about.license_file");
        return new AboutSection(
            Optional(about["homepage"], "about.homepage"),
            Optional(about["repository"], "about.repository"),
            Optional(about["documentation"], "about.documentation"),
            Optional(about["license"], "about.license"),
            licenseFiles,
            Optional(about["summary"], "about.summary"),
            Optional(about["description"], "about.description"));
    }

    private static RecipeMap Map(RecipeNode node, string section) =>
        node as RecipeMap ?? throw node.Error($"{section} must be a mapping");

    private static IReadOnlyList<RecipeNode> Items(RecipeNode? node, string section) => node switch
    {
        null => [],
        RecipeScalar { Value: null } => [],
        RecipeList list => list.Items,
        _ => throw node.Error($"{section} must be a list"),
    };

    private static List<string> Strings(RecipeNode? node, string section) => [.. Items(node, section).Select(item => Text(item, section))];

    private static string? Optional(RecipeNode? node, string section) => node is null or RecipeScalar { Value: null } ? null : Text(node, section);

    private static string Text(RecipeNode node, string section) => node switch
    {
        RecipeScalar { Value: not (null or PinRequest or IReadOnlyList<object?>) } scalar => TemplateRenderer.TextOf(scalar.Value)!,
        _ => throw node.Error($"{section} must be a single value"),
    };
}
