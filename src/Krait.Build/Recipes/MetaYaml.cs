using System.Text;
using System.Text.RegularExpressions;
using Krait.Build.Recipes.Expressions;
using YamlDotNet.RepresentationModel;

namespace Krait.Build.Recipes;

/// <summary>
/// Reads the common subset of conda-build's v0 <c>meta.yaml</c> by translating it, for one scope, into the v1 recipe
/// that means the same, which <see cref="RecipeReader"/> then reads (so every rule and error is shared). Line
/// numbers are kept, so errors point into the meta.yaml.
/// Supported: <c>{% set NAME = EXPR %}</c> (the recipe's context), <c>{{ EXPR }}</c> (with the v1 functions and
/// filters; <c>{{ PYTHON }}</c> and the other build variables become <c>$PYTHON</c>…), <c>{# … #}</c> comments,
/// line selectors <c># [EXPR]</c> (with conda-build's <c>py</c>, <c>np</c>, <c>py3k</c>, <c>linux64</c>, <c>win32</c>…);
/// <c>package</c>, <c>source</c> (<c>url</c>, <c>sha256</c>, <c>md5</c>, <c>path</c>, <c>git_url</c>, <c>git_rev</c>,
/// <c>git_tag</c>, <c>git_branch</c>, <c>patches</c>, <c>folder</c>, <c>fn</c>), <c>build</c> (<c>number</c>,
/// <c>string</c>, <c>script</c>, <c>noarch</c>, <c>skip</c>, <c>entry_points</c>, <c>run_exports</c>,
/// <c>ignore_run_exports</c>, <c>ignore_run_exports_from</c>), <c>requirements</c> (<c>run_constrained</c> too),
/// <c>test</c> (<c>imports</c>, <c>commands</c>, <c>requires</c>, <c>files</c>, <c>source_files</c>), <c>about</c>,
/// <c>outputs</c> and <c>extra</c>. Not supported, and refused with the line: other Jinja statements
/// (<c>{% if %}</c>, <c>{% for %}</c>, macros, <c>load_setup_py_data</c> and the like), and any other key.
/// </summary>
public static partial class MetaYaml
{
    private static readonly Dictionary<string, string> SourceKeys = new(StringComparer.Ordinal)
    {
        ["url"] = "url", ["sha256"] = "sha256", ["md5"] = "md5", ["path"] = "path", ["git_url"] = "git", ["git_rev"] = "rev",
        ["git_tag"] = "tag", ["git_branch"] = "branch", ["git_depth"] = "depth", ["patches"] = "patches", ["folder"] = "target_directory", ["fn"] = "file_name",
    };

    private static readonly Dictionary<string, string> AboutKeys = new(StringComparer.Ordinal)
    {
        ["home"] = "homepage", ["dev_url"] = "repository", ["doc_url"] = "documentation", ["license"] = "license", ["license_family"] = "license_family",
        ["license_file"] = "license_file", ["license_url"] = "license_url", ["summary"] = "summary", ["description"] = "description",
    };

    public static YamlMappingNode Translate(string text, string file, RecipeScope scope)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(scope);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var yaml = new StringBuilder();
        var context = new YamlMappingNode();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = Comment().Replace(lines[i], string.Empty);
            var set = SetStatement().Match(line);
            if (set.Success)
            {
                var entry = (YamlMappingNode)RecipeReader.Load(new string('\n', i) + set.Groups[1].Value + ": '" + ("${{ " + set.Groups[2].Value + " }}").Replace("'", "''", StringComparison.Ordinal) + "'", file);
                foreach (var (key, value) in entry.Children)
                {
                    context.Add(key, value);
                }

                yaml.Append('\n');
                continue;
            }

            if (line.Contains("{%", StringComparison.Ordinal))
            {
                throw new RecipeException(file, i + 1, line.IndexOf("{%", StringComparison.Ordinal) + 1, "only {% set NAME = VALUE %} is read in meta.yaml; other Jinja statements ({% if %}, {% for %}, macros) are not supported: use selectors (# [linux]) or write a recipe.yaml");
            }

            if (ApplySelector(line, scope, file, i + 1) is not { } selected)
            {
                yaml.Append('\n');
                continue;
            }

            line = BuildVariable().Replace(selected, "$$$1");
            yaml.Append(line.Replace("{{", "${{", StringComparison.Ordinal)).Append('\n');
        }

        var v0 = RecipeReader.Load(yaml.ToString(), file);
        return Restructure(v0, context, file);
    }

    /// <summary>A line with its <c># [EXPR]</c> selector: without it when EXPR holds, null when it does not; other lines as they are.</summary>
    public static string? ApplySelector(string line, RecipeScope scope, string file, long lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        var selector = Selector().Match(line);
        if (!selector.Success)
        {
            return line;
        }

        return Select(selector.Groups[1].Value, scope, file, lineNumber, selector.Groups[1].Index + 1) ? line[..selector.Index] : null;
    }

    private static bool Select(string expression, RecipeScope scope, string file, long line, long column)
    {
        try
        {
            return Values.IsTrue(Expression.Parse(expression).Evaluate(scope));
        }
        catch (ExpressionException e)
        {
            throw new RecipeException(file, line, column + e.Offset, $"{e.Message} (in the selector [{expression}])");
        }
    }

    private static YamlMappingNode Restructure(YamlMappingNode v0, YamlMappingNode context, string file)
    {
        var root = new YamlMappingNode();
        if (context.Children.Count > 0)
        {
            root.Add("context", context);
        }

        var hasOutputs = v0.Children.ContainsKey(new YamlScalarNode("outputs"));
        var requirements = new YamlMappingNode();
        foreach (var (keyNode, value) in v0.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            if (value is YamlScalarNode { Value: null or "" } && key != "package")
            {
                continue; // a section whose every line a selector took away
            }

            switch (key)
            {
                case "package":
                    root.Add(hasOutputs ? "recipe" : "package", value);
                    break;
                case "source":
                    root.Add("source", value is YamlSequenceNode sources ? new YamlSequenceNode(sources.Select(s => Source(s, file))) : Source(value, file));
                    break;
                case "build":
                    root.Add("build", Build(value, requirements, file));
                    break;
                case "requirements":
                    Requirements(value, requirements, file);
                    break;
                case "test":
                    root.Add("tests", Tests(value, file));
                    break;
                case "about":
                    root.Add("about", Rename(value, AboutKeys, "about", file));
                    break;
                case "outputs":
                    root.Add("outputs", new YamlSequenceNode(((YamlSequenceNode)value).Select(o => Output(o, file))));
                    break;
                case "extra":
                    root.Add("extra", value);
                    break;
                default:
                    throw Unsupported(keyNode, file, $"the meta.yaml section '{key}'", "package, source, build, requirements, test, about, outputs, extra");
            }
        }

        if (requirements.Children.Count > 0)
        {
            root.Add("requirements", requirements);
        }

        return root;
    }

    private static YamlMappingNode Output(YamlNode node, string file)
    {
        var output = Mapping(node, "an output", file);
        var result = new YamlMappingNode();
        var package = new YamlMappingNode();
        var requirements = new YamlMappingNode();
        var build = new YamlMappingNode();
        foreach (var (keyNode, value) in output.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            switch (key)
            {
                case "name" or "version":
                    package.Add(key, value);
                    break;
                case "script":
                    build.Add("script", value);
                    break;
                case "build":
                    foreach (var (k, v) in Build(value, requirements, file).Children)
                    {
                        build.Add(k, v);
                    }

                    break;
                case "requirements":
                    Requirements(value is YamlSequenceNode run ? new YamlMappingNode { { "run", run } } : value, requirements, file);
                    break;
                case "test":
                    result.Add("tests", Tests(value, file));
                    break;
                case "about":
                    result.Add("about", Rename(value, AboutKeys, "about", file));
                    break;
                default:
                    throw Unsupported(keyNode, file, $"the output key '{key}'", "name, version, script, build, requirements, test, about");
            }
        }

        result.Add("package", package);
        if (build.Children.Count > 0)
        {
            result.Add("build", build);
        }

        if (requirements.Children.Count > 0)
        {
            result.Add("requirements", requirements);
        }

        return result;
    }

    private static YamlMappingNode Source(YamlNode node, string file)
    {
        var source = Rename(node, SourceKeys, "source", file);
        // conda-build allows a list of mirror URLs: the first is used.
        if (source.Children.TryGetValue(new YamlScalarNode("url"), out var url) && url is YamlSequenceNode mirrors && mirrors.Children.Count > 0)
        {
            source.Children[new YamlScalarNode("url")] = mirrors.Children[0];
        }

        return source;
    }

    private static YamlMappingNode Build(YamlNode node, YamlMappingNode requirements, string file)
    {
        var build = new YamlMappingNode();
        var ignore = new YamlMappingNode();
        foreach (var (keyNode, value) in Mapping(node, "build", file).Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            switch (key)
            {
                case "number" or "string" or "script" or "noarch" or "skip":
                    build.Add(key, value);
                    break;
                case "entry_points":
                    build.Add("python", new YamlMappingNode { { "entry_points", value } });
                    break;
                case "run_exports":
                    requirements.Add("run_exports", value);
                    break;
                case "ignore_run_exports":
                    ignore.Add("by_name", value);
                    break;
                case "ignore_run_exports_from":
                    ignore.Add("from_package", value);
                    break;
                default:
                    throw Unsupported(keyNode, file, $"build.{key}", "number, string, script, noarch, skip, entry_points, run_exports, ignore_run_exports, ignore_run_exports_from");
            }
        }

        if (ignore.Children.Count > 0)
        {
            requirements.Add("ignore_run_exports", ignore);
        }

        return build;
    }

    private static void Requirements(YamlNode node, YamlMappingNode requirements, string file)
    {
        foreach (var (keyNode, value) in Mapping(node, "requirements", file).Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            requirements.Add(key switch
            {
                "build" or "host" or "run" => key,
                "run_constrained" => "run_constraints",
                _ => throw Unsupported(keyNode, file, $"requirements.{key}", "build, host, run, run_constrained"),
            }, value);
        }
    }

    private static YamlSequenceNode Tests(YamlNode node, string file)
    {
        var test = Mapping(node, "test", file);
        var tests = new YamlSequenceNode();
        YamlNode? Get(string key) => test.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
        foreach (var (keyNode, _) in test.Children)
        {
            if (((YamlScalarNode)keyNode).Value is not ("imports" or "commands" or "requires" or "files" or "source_files"))
            {
                throw Unsupported(keyNode, file, $"test.{((YamlScalarNode)keyNode).Value}", "imports, commands, requires, files, source_files");
            }
        }

        if (Get("imports") is { } imports)
        {
            tests.Add(new YamlMappingNode { { "python", new YamlMappingNode { { "imports", imports }, { "pip_check", "false" } } } });
        }

        if (Get("commands") is { } commands)
        {
            var script = new YamlMappingNode { { "script", commands } };
            if (Get("requires") is { } requires)
            {
                script.Add("requirements", new YamlMappingNode { { "run", requires } });
            }

            var files = new YamlMappingNode();
            if (Get("files") is { } recipeFiles)
            {
                files.Add("recipe", recipeFiles);
            }

            if (Get("source_files") is { } sourceFiles)
            {
                files.Add("source", sourceFiles);
            }

            if (files.Children.Count > 0)
            {
                script.Add("files", files);
            }

            tests.Add(script);
        }

        return tests;
    }

    private static YamlMappingNode Rename(YamlNode node, Dictionary<string, string> names, string section, string file)
    {
        var result = new YamlMappingNode();
        foreach (var (keyNode, value) in Mapping(node, section, file).Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            result.Add(names.TryGetValue(key, out var renamed) ? renamed : throw Unsupported(keyNode, file, $"{section}.{key}", string.Join(", ", names.Keys)), value);
        }

        return result;
    }

    private static YamlMappingNode Mapping(YamlNode node, string section, string file) =>
        node as YamlMappingNode ?? throw new RecipeException(file, node.Start.Line, node.Start.Column, $"{section} must be a mapping");

    private static RecipeException Unsupported(YamlNode at, string file, string what, string supported) =>
        new(file, at.Start.Line, at.Start.Column, $"{what} is not supported in meta.yaml by Krait (supported: {supported})");

    [GeneratedRegex(@"^\s*\{%-?\s*set\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*-?%\}\s*$")]
    private static partial Regex SetStatement();

    [GeneratedRegex(@"\s#\s*\[(.+)\]\s*$")]
    private static partial Regex Selector();

    [GeneratedRegex(@"\{#.*?#\}")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\{\{\s*(PYTHON|PREFIX|SRC_DIR|RECIPE_DIR|PKG_NAME|PKG_VERSION)\s*\}\}")]
    private static partial Regex BuildVariable();
}
