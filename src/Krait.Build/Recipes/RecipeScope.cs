using Krait.Build.Recipes.Expressions;
using Krait.Conda.Platforms;

namespace Krait.Build.Recipes;

/// <summary>
/// What a recipe's expressions see while one variant of it is rendered: the recipe's <c>context</c>, the variant's
/// values, the platform's names (<c>linux</c>, <c>unix</c>, <c>x86_64</c>, <c>target_platform</c>…), <c>env</c>,
/// <c>hash</c>, and the functions (<c>compiler</c>, <c>stdlib</c>, <c>pin_subpackage</c>, <c>pin_compatible</c>,
/// <c>match</c>). It records which variant keys were read: those, with <c>target_platform</c>, make the build hash.
/// </summary>
public sealed class RecipeScope : IExpressionScope
{
    private readonly Dictionary<string, object?> context = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string> variant;
    private readonly Dictionary<string, object?> platformNames;

    /// <param name="variant">The variant's values by key (<c>python: 3.11</c>), already one combination.</param>
    /// <param name="targetPlatform">The platform built for (<c>linux-64</c>).</param>
    /// <param name="hash">The build hash, when known (the second pass); the first pass renders with a stand-in.</param>
    public RecipeScope(IReadOnlyDictionary<string, string> variant, string targetPlatform, string? hash = null)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(targetPlatform);
        this.variant = variant;
        TargetPlatform = targetPlatform;
        platformNames = PlatformNames(targetPlatform);
        platformNames["hash"] = hash ?? "h0000000";
    }

    public string TargetPlatform { get; }

    /// <summary>The variant keys the recipe read, in first-read order.</summary>
    public List<string> UsedVariantKeys { get; } = [];

    /// <summary>Adds a <c>context</c> entry, visible to what follows it.</summary>
    public void Define(string name, object? value) => context[name] = value;

    /// <summary>Records <paramref name="key"/> as used when the variant has it (a free requirement named after a key).</summary>
    public string? UseVariant(string key)
    {
        if (!variant.TryGetValue(key, out var value))
        {
            return null;
        }

        if (!UsedVariantKeys.Contains(key))
        {
            UsedVariantKeys.Add(key);
        }

        return value;
    }

    public bool TryGet(string name, out object? value)
    {
        if (context.TryGetValue(name, out value))
        {
            return true;
        }

        if (UseVariant(name) is { } fromVariant)
        {
            value = fromVariant;
            return true;
        }

        // conda-build's selector names for versions: py (311 for python 3.11), np (126), py3k.
        if (name is "py" or "np" or "py3k" && UseVariant(name == "np" ? "numpy" : "python") is { } version)
        {
            var digits = string.Concat(version.Split(' ')[0].Split('.').Take(2).Select(p => new string([.. p.TakeWhile(char.IsAsciiDigit)])));
            value = name == "py3k" ? digits.StartsWith('3') : long.TryParse(digits, out var number) ? number : 0L;
            return true;
        }

        if (name == "env")
        {
            value = EnvironmentVariables.Instance;
            return true;
        }

        return platformNames.TryGetValue(name, out value);
    }

    public object? Call(string function, CallArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        switch (function)
        {
            case "compiler":
                return Tool(arguments, "compiler", "_compiler", DefaultCompiler);
            case "stdlib":
                return Tool(arguments, "stdlib", "_stdlib", DefaultStdlib);
            case "pin_subpackage":
                return PinRequest.From(PinKind.Subpackage, arguments);
            case "pin_compatible":
                return PinRequest.From(PinKind.Compatible, arguments);
            case "match":
                return Match(arguments);
            default:
                throw new ExpressionException($"unknown function '{function}' (compiler, stdlib, pin_subpackage, pin_compatible, match)", arguments.Offset);
        }
    }

    /// <summary>
    /// <c>compiler('c')</c> → <c>gcc_linux-64 13.*</c>: the variant's <c>c_compiler</c> (else the platform's usual
    /// one) for the target platform, at the variant's <c>c_compiler_version</c> when it has one; likewise <c>stdlib</c>.
    /// </summary>
    private string Tool(CallArguments arguments, string function, string suffix, Func<string, string, string?> fallback)
    {
        arguments.Allow(function, "language");
        var language = arguments.RequireString(0, "language", function);
        var name = UseVariant(language + suffix) ?? fallback(language, TargetPlatform)
            ?? throw new ExpressionException($"{function}('{language}'): no {language}{suffix} in the variant configuration and no usual one for {TargetPlatform}", arguments.Offset);
        var version = UseVariant(language + suffix + "_version");
        var package = $"{name}_{TargetPlatform}";
        return version is null ? package : $"{package} {Specs.VersionSpecText(version)}";
    }

    private static string? DefaultCompiler(string language, string platform) => (language, Platform.OperatingSystemOf(platform)) switch
    {
        ("c", "linux") => "gcc",
        ("cxx", "linux") => "gxx",
        ("fortran", "linux" or "osx") => "gfortran",
        ("c", "osx") => "clang",
        ("cxx", "osx") => "clangxx",
        ("c" or "cxx", "win") => "vs2019",
        ("fortran", "win") => "flang",
        ("rust", _) => "rust",
        ("go", _) => "go",
        _ => null,
    };

    private static string? DefaultStdlib(string language, string platform) => (language, Platform.OperatingSystemOf(platform)) switch
    {
        ("c", "linux") => "sysroot",
        ("c", "osx") => "macosx_deployment_target",
        ("c", "win") => "vs",
        _ => null,
    };

    /// <summary><c>match(python, '>=3.10')</c>: whether a version (a variant value such as <c>3.11</c> or <c>3.11.*</c>) meets a version spec.</summary>
    private static bool Match(CallArguments arguments)
    {
        arguments.Allow("match", "value", "spec");
        var value = Values.Text(arguments.Get(0, "value")).Split(' ')[0].TrimEnd('*').TrimEnd('.');
        var spec = arguments.RequireString(1, "spec", "match");
        try
        {
            return Krait.Conda.Versions.VersionSpec.Parse(spec).Matches(Krait.Conda.Versions.Version.Parse(value));
        }
        catch (Exception e) when (e is Krait.Conda.Versions.InvalidVersionException or Krait.Conda.Versions.InvalidVersionSpecException)
        {
            throw new ExpressionException($"match(): {e.Message}", arguments.Offset);
        }
    }

    /// <summary>The names selectors test: the operating system (and <c>unix</c>), the architecture, and the platforms themselves.</summary>
    private static Dictionary<string, object?> PlatformNames(string platform)
    {
        var os = Platform.OperatingSystemOf(platform);
        var architecture = Platform.ArchitectureOf(platform);
        var names = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["target_platform"] = platform,
            ["build_platform"] = Platform.Native,
            ["host_platform"] = platform,
            ["linux"] = os == "linux",
            ["osx"] = os == "osx",
            ["win"] = os == "win",
            ["unix"] = Platform.IsUnix(platform),
        };
        foreach (var arch in new[] { "x86_64", "aarch64", "arm64", "ppc64le", "s390x", "x86" })
        {
            names[arch] = arch == architecture;
        }

        // conda-build's names of whole platforms (meta.yaml selectors).
        foreach (var (name, subdir) in new[] { ("linux64", "linux-64"), ("linux32", "linux-32"), ("win64", "win-64"), ("win32", "win-32"), ("osx64", "osx-64") })
        {
            names[name] = platform == subdir;
        }

        return names;
    }

    /// <summary><c>env.get('NAME', default='')</c> and <c>env.exists('NAME')</c>.</summary>
    private sealed class EnvironmentVariables : IMethodTarget
    {
        public static readonly EnvironmentVariables Instance = new();

        public object? Invoke(string name, CallArguments arguments) => name switch
        {
            "get" => Environment.GetEnvironmentVariable(arguments.RequireString(0, "name", "env.get")) ?? arguments.Get(1, "default")
                ?? throw new ExpressionException($"env.get(): '{arguments.Get(0, "name")}' is not set and no default is given", arguments.Offset),
            "exists" => Environment.GetEnvironmentVariable(arguments.RequireString(0, "name", "env.exists")) is not null,
            _ => throw new ExpressionException($"env has no method '{name}' (get, exists)", arguments.Offset),
        };
    }
}
