using System.CommandLine;
using System.Text;
using Krait.Cli.Output;
using Krait.Conda.Parsing;
using Krait.Configuration;
using Krait.Configuration.Settings;
using Krait.Files;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait config</c>, as <c>conda config</c>: <c>--show [KEY]...</c> and <c>--show-sources</c> read every condarc
/// merged; <c>--get</c>, <c>--set</c>, <c>--add</c>/<c>--prepend</c>, <c>--append</c>, <c>--remove</c> and
/// <c>--remove-key</c> read and change one file (<c>~/.condarc</c>, or <c>$CONDARC</c>, <c>--file</c>, <c>--env</c>,
/// <c>--system</c>), keeping its other keys and its comments. One change per call.
/// </summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var show = new Option<string[]>("--show") { Description = "the merged configuration (or only these keys)", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };
        var showSources = new Option<bool>("--show-sources") { Description = "every configuration file read, with what it sets" };
        var get = new Option<string[]>("--get") { Description = "the file's settings (or only these keys), as the commands that make them", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };
        var set = Pair("--set", "set KEY to VALUE");
        var add = Pair("--add", "put VALUE first in the list KEY (as --prepend)");
        var prepend = Pair("--prepend", "put VALUE first in the list KEY");
        var append = Pair("--append", "put VALUE last in the list KEY");
        var remove = Pair("--remove", "take VALUE out of the list KEY");
        var removeKey = new Option<string?>("--remove-key") { Description = "take KEY out of the file" };
        var file = new Option<string?>("--file") { Description = "the file to read and change (default: ~/.condarc, or $CONDARC)" };
        var environment = new Option<bool>("--env") { Description = "the active environment's .condarc" };
        var system = new Option<bool>("--system") { Description = "the root prefix's .condarc" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var command = new Command("config", "Show and change conda's configuration files (.condarc).")
        {
            show, showSources, get, set, add, prepend, append, remove, removeKey, file, environment, system, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            return CommandRunner.Run(asJson, () =>
            {
                var target = new Lazy<string>(() => TargetFile(parse.GetValue(file), parse.GetValue(environment), parse.GetValue(system)));
                string[]? Given(Option<string[]?> option) => parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;
                var changes = new (string Name, string[]? Values)[]
                {
                    ("set", Given(set)), ("prepend", Given(add)), ("prepend", Given(prepend)), ("append", Given(append)), ("remove", Given(remove)),
                    ("remove-key", parse.GetValue(removeKey) is { } key ? [key] : null),
                }.Where(c => c.Values is not null).ToList();
                var showing = parse.GetResult(show) is { Implicit: false };
                var getting = parse.GetResult(get) is { Implicit: false };
                var reads = (showing ? 1 : 0) + (parse.GetValue(showSources) ? 1 : 0) + (getting ? 1 : 0);
                if (changes.Count + reads != 1)
                {
                    throw new KraitException("ArgumentError", changes.Count + reads == 0 ? "nothing to do" : "one thing at a time", "give one of --show, --show-sources, --get, --set, --add, --prepend, --append, --remove, --remove-key");
                }

                if (showing)
                {
                    return Show(parse.GetValue(show) ?? [], asJson);
                }

                if (parse.GetValue(showSources))
                {
                    return ShowSources(asJson);
                }

                if (getting)
                {
                    return Get(target.Value, parse.GetValue(get) ?? [], asJson);
                }

                var (name, values) = changes[0];
                return Change(target.Value, name, values!);
            });
        });
        return command;
    }

    private static Option<string[]?> Pair(string name, string description) =>
        new(name) { Description = $"{description} (KEY VALUE)", Arity = new ArgumentArity(2, 2), AllowMultipleArgumentsPerToken = true, HelpName = "KEY VALUE" };

    /// <summary>The file the reading and changing options work on.</summary>
    private static string TargetFile(string? file, bool environment, bool system)
    {
        if ((file is not null ? 1 : 0) + (environment ? 1 : 0) + (system ? 1 : 0) > 1)
        {
            throw new KraitException("ArgumentError", "give at most one of --file, --env and --system");
        }

        if (file is not null)
        {
            return Path.GetFullPath(file);
        }

        if (environment)
        {
            return Environment.GetEnvironmentVariable("CONDA_PREFIX") is { Length: > 0 } active
                ? Path.Combine(active, ".condarc")
                : throw new KraitException("CondaError", "--env changes the active environment's .condarc, and no environment is active", "activate one first (krait activate ENV), or give --file PATH");
        }

        if (system)
        {
            return Path.Combine(KraitLocations.Resolve(CondaConfig.Load()).RootPrefix, ".condarc");
        }

        return Environment.GetEnvironmentVariable("CONDARC") is { Length: > 0 } condarc ? condarc : Path.Combine(KraitLocations.Home, ".condarc");
    }

    private static CondarcText Read(string path)
    {
        try
        {
            return CondarcText.Parse(File.Exists(path) ? File.ReadAllText(path) : string.Empty, path);
        }
        catch (ConfigException e)
        {
            throw new KraitException("CondaValueError", e.Message, $"fix {path} by hand first");
        }
    }

    private static int Change(string path, string operation, string[] values)
    {
        var file = Read(path);
        var key = values[0];
        try
        {
            switch (operation)
            {
                case "set":
                    file.SetScalar(key, ConfigParameters.Normalise(key, values[1]));
                    break;
                case "remove-key":
                    if (!file.Has(key))
                    {
                        throw new KraitException("CondaKeyError", $"'{key}': key not in {path}");
                    }

                    file.RemoveKey(key);
                    break;
                default:
                    file.SetSequence(key, ChangedList(file, path, operation, key, values[1]));
                    break;
            }
        }
        catch (ConfigException e)
        {
            throw new KraitException("CondaValueError", e.Message, $"see krait config --show for the keys and their values");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(file.Text));
        return 0;
    }

    /// <summary>The list after --prepend, --append or --remove; as conda, the first channel added to a file without channels comes with <c>defaults</c> after it.</summary>
    private static List<string> ChangedList(CondarcText file, string path, string operation, string key, string value)
    {
        if (ConfigParameters.KindOf(key) != ParameterKind.Sequence)
        {
            throw new ConfigException($"'{key}' is not a list: set it with --set {key} VALUE");
        }

        var list = file.Sequence(key).ToList();
        if (operation == "remove")
        {
            return list.Remove(value) ? list : throw new KraitException("CondaKeyError", $"'{key}': '{value}' is not in the '{key}' key of {path}");
        }

        if (key == "channels" && !file.Has(key) && operation == "prepend")
        {
            list.Add("defaults");
        }

        if (list.Remove(value))
        {
            Console.Error.WriteLine($"warning: '{value}' already in '{key}' list, moving to the {(operation == "append" ? "bottom" : "top")}");
        }

        if (operation == "append")
        {
            list.Add(value);
        }
        else
        {
            list.Insert(0, value);
        }

        return list;
    }

    /// <summary>conda's <c>--get</c>: each setting of the file as the command that makes it; lists from the lowest priority up.</summary>
    private static int Get(string path, string[] keys, bool json)
    {
        var file = Read(path);
        var wanted = (keys.Length > 0 ? keys : file.Keys).Where(file.Has).ToList();
        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("get");
                foreach (var key in wanted)
                {
                    WriteJsonValue(w, key, file);
                }

                w.WriteEndObject();
                w.WriteString("rc_path", path);
                w.WriteEndObject();
            });
            return 0;
        }

        foreach (var key in wanted)
        {
            if (ConfigParameters.IsKnown(key) && ConfigParameters.KindOf(key) == ParameterKind.Sequence)
            {
                var values = file.Sequence(key);
                for (var i = values.Count - 1; i >= 0; i--)
                {
                    var note = values.Count == 1 ? string.Empty : i == values.Count - 1 ? "   # lowest priority" : i == 0 ? "   # highest priority" : string.Empty;
                    Console.WriteLine($"--add {key} '{values[i]}'{note}");
                }
            }
            else if (file.Scalar(key) is { } scalar)
            {
                var shown = ConfigParameters.IsKnown(key) && ConfigParameters.KindOf(key) == ParameterKind.Boolean ? (scalar is "true" or "True" or "yes" ? "True" : "False") : scalar;
                Console.WriteLine($"--set {key} {shown}");
            }
        }

        return 0;
    }

    /// <summary>The merged configuration: what the files and variables set, and the settings Krait works out (folders, defaults).</summary>
    private static int Show(string[] keys, bool json)
    {
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        var values = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["add_pip_as_python_dependency"] = config.AddPipAsPythonDependency,
            ["changeps1"] = config.ChangePrompt,
            ["channel_alias"] = config.ChannelAlias,
            ["channel_priority"] = config.ChannelPriority,
            ["channels"] = config.Channels.Count > 0 ? config.Channels : (IReadOnlyList<string>)["defaults"],
            ["envs_dirs"] = locations.EnvsDirs,
            ["pkgs_dirs"] = locations.PkgsDirs,
            ["root_prefix"] = locations.RootPrefix,
        };
        foreach (var key in config.Keys.Where(k => !values.ContainsKey(k)))
        {
            var kind = ConfigParameters.IsKnown(key) ? ConfigParameters.KindOf(key) : ParameterKind.Text;
            values[key] = kind switch
            {
                ParameterKind.Sequence => config.ListOf(key),
                ParameterKind.Map => config.MapOf(key),
                _ => config.Scalar(key) ?? string.Empty,
            };
        }

        var unknown = keys.Where(k => !values.ContainsKey(k) && !ConfigParameters.IsKnown(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new KraitException("CondaKeyError", $"unknown key(s): {string.Join(", ", unknown)}", "see krait config --show for the keys");
        }

        var shown = keys.Length == 0 ? values : new SortedDictionary<string, object>(keys.Where(values.ContainsKey).ToDictionary(k => k, k => values[k]), StringComparer.Ordinal);
        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                foreach (var (key, value) in shown)
                {
                    WriteJson(w, key, value);
                }

                w.WriteEndObject();
            });
            return 0;
        }

        foreach (var (key, value) in shown)
        {
            WriteYaml(key, value);
        }

        return 0;
    }

    /// <summary>conda's <c>--show-sources</c>: each file read, with what it sets, then the variables that set something.</summary>
    private static int ShowSources(bool json)
    {
        var config = CondaConfig.Load();
        var files = config.FilesRead.Select(path => (Path: path, File: CondarcText.Parse(File.ReadAllText(path), path))).ToList();
        var variables = Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(k => (k.StartsWith("CONDA_", StringComparison.Ordinal) || k.StartsWith("KRAIT_", StringComparison.Ordinal)) && ConfigParameters.IsKnown(k[6..].ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (json)
        {
            JsonOutput.Write(w =>
            {
                w.WriteStartObject();
                foreach (var (path, file) in files)
                {
                    w.WriteStartObject(path);
                    foreach (var key in file.Keys)
                    {
                        WriteJsonValue(w, key, file);
                    }

                    w.WriteEndObject();
                }

                if (variables.Count > 0)
                {
                    w.WriteStartObject("envvars");
                    variables.ForEach(v => w.WriteString(v[6..].ToLowerInvariant(), Environment.GetEnvironmentVariable(v)));
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            });
            return 0;
        }

        foreach (var (path, file) in files)
        {
            Console.WriteLine($"==> {path} <==");
            foreach (var key in file.Keys)
            {
                WriteYaml(key, ValueOf(key, file));
            }

            Console.WriteLine();
        }

        if (variables.Count > 0)
        {
            Console.WriteLine("==> envvars <==");
            variables.ForEach(v => WriteYaml(v[6..].ToLowerInvariant(), Environment.GetEnvironmentVariable(v) ?? string.Empty));
            Console.WriteLine();
        }

        return 0;
    }

    private static object ValueOf(string key, CondarcText file) =>
        file.Scalar(key) is { } scalar ? scalar
        : file.Map(key) is { Count: > 0 } map ? map.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
        : file.Sequence(key);

    private static void WriteYaml(string key, object value)
    {
        switch (value)
        {
            case bool flag:
                Console.WriteLine($"{key}: {(flag ? "True" : "False")}");
                break;
            case IReadOnlyList<string> list:
                Console.WriteLine(list.Count == 0 ? $"{key}: []" : $"{key}:");
                list.ToList().ForEach(item => Console.WriteLine($"  - {YamlScalar.Write(item)}"));
                break;
            case IReadOnlyDictionary<string, string> map:
                Console.WriteLine(map.Count == 0 ? $"{key}: {{}}" : $"{key}:");
                foreach (var (name, item) in map)
                {
                    Console.WriteLine($"  {YamlScalar.Write(name)}: {YamlScalar.Write(item)}");
                }

                break;
            default:
                Console.WriteLine($"{key}: {YamlScalar.Write(value.ToString() ?? string.Empty)}");
                break;
        }
    }

    private static void WriteJsonValue(System.Text.Json.Utf8JsonWriter writer, string key, CondarcText file) => WriteJson(writer, key, ValueOf(key, file));

    private static void WriteJson(System.Text.Json.Utf8JsonWriter writer, string key, object value)
    {
        switch (value)
        {
            case bool flag:
                writer.WriteBoolean(key, flag);
                break;
            case IReadOnlyList<string> list:
                writer.WriteStartArray(key);
                list.ToList().ForEach(writer.WriteStringValue);
                writer.WriteEndArray();
                break;
            case IReadOnlyDictionary<string, string> map:
                writer.WriteStartObject(key);
                foreach (var (name, item) in map)
                {
                    writer.WriteString(name, item);
                }

                writer.WriteEndObject();
                break;
            default:
                writer.WriteString(key, value.ToString());
                break;
        }
    }
}
