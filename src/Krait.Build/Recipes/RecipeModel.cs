using Krait.Conda.Records;

namespace Krait.Build.Recipes;

/// <summary>One requirement: a match spec, or a pin resolved later (<see cref="PinRequest"/>).</summary>
public sealed record RecipeRequirement(string? Spec, PinRequest? Pin)
{
    public override string ToString() => Spec ?? Pin!.ToString();
}

/// <summary>Where a recipe's source comes from: a local <c>path</c>, a <c>url</c> with its checksum, or a <c>git</c> repository; patches applied after.</summary>
public sealed record RecipeSource(string? Path, string? Url, string? Sha256, string? Md5, string? Git, string? GitRevision, string? FileName, string? TargetDirectory, IReadOnlyList<string> Patches);

/// <summary><c>build.script</c>: lines to run, or a file of the recipe's, with extra environment variables.</summary>
public sealed record BuildScript(IReadOnlyList<string>? Lines, string? File, IReadOnlyDictionary<string, string> Environment);

/// <summary><c>requirements.run_exports</c>: what a package adds to the packages built against it.</summary>
public sealed record RunExports(IReadOnlyList<RecipeRequirement> Weak, IReadOnlyList<RecipeRequirement> Strong, IReadOnlyList<RecipeRequirement> Noarch, IReadOnlyList<RecipeRequirement> WeakConstraints, IReadOnlyList<RecipeRequirement> StrongConstraints)
{
    public static readonly RunExports None = new([], [], [], [], []);

    public bool IsEmpty => Weak.Count + Strong.Count + Noarch.Count + WeakConstraints.Count + StrongConstraints.Count == 0;
}

/// <summary>The <c>requirements</c> of an output.</summary>
public sealed record RecipeRequirements(
    IReadOnlyList<RecipeRequirement> Build,
    IReadOnlyList<RecipeRequirement> Host,
    IReadOnlyList<RecipeRequirement> Run,
    IReadOnlyList<RecipeRequirement> RunConstraints,
    RunExports RunExports,
    IReadOnlyList<string> IgnoreRunExportsFromPackage,
    IReadOnlyList<string> IgnoreRunExportsByName)
{
    public static readonly RecipeRequirements None = new([], [], [], [], RunExports.None, [], []);
}

/// <summary>The <c>build</c> section of an output.</summary>
public sealed record BuildSection(long Number, string? String, BuildScript? Script, NoArchType NoArch, bool Skip, IReadOnlyList<string> EntryPoints);

/// <summary>One entry of <c>tests</c>.</summary>
public abstract record RecipeTest;

/// <summary><c>- script: […]</c>, run in an environment of the package and <c>requirements.run</c>, with <c>files</c> copied in.</summary>
public sealed record ScriptTest(IReadOnlyList<string> Lines, IReadOnlyList<string> Requirements, IReadOnlyList<string> SourceFiles, IReadOnlyList<string> RecipeFiles) : RecipeTest;

/// <summary><c>- python: {imports: […], pip_check: bool}</c>.</summary>
public sealed record PythonTest(IReadOnlyList<string> Imports, bool PipCheck) : RecipeTest;

/// <summary><c>- package_contents: {files, site_packages, bin, lib, include}</c>: globs and names the package must hold.</summary>
public sealed record PackageContentsTest(IReadOnlyList<string> Files, IReadOnlyList<string> SitePackages, IReadOnlyList<string> Bin, IReadOnlyList<string> Lib, IReadOnlyList<string> Include) : RecipeTest;

/// <summary>The <c>about</c> section, as <c>info/about.json</c> carries it.</summary>
public sealed record AboutSection(string? Homepage, string? Repository, string? Documentation, string? License, IReadOnlyList<string> LicenseFiles, string? Summary, string? Description);

/// <summary>One package a recipe makes (the recipe itself, or one of its <c>outputs</c>), rendered for one variant.</summary>
public sealed record RecipeOutput(
    string Name,
    string Version,
    BuildSection Build,
    RecipeRequirements Requirements,
    IReadOnlyList<RecipeSource> Sources,
    IReadOnlyList<RecipeTest> Tests,
    AboutSection About);
