using Krait.Cli.Output;
using Krait.Conda.Records;
using Krait.Install;

namespace Krait.Cli.Installing;

/// <summary>The <c>pip:</c> section of an environment file being created.</summary>
/// <param name="Requirements">The section's lines: requirements and pip options.</param>
/// <param name="EnvironmentFile">The file they come from; pip runs in its folder.</param>
internal sealed record PipRequest(IReadOnlyList<string> Requirements, string EnvironmentFile)
{
    /// <summary>
    /// Refuses a section that nothing could run, before anything is linked: the solved environment must have python,
    /// and pip as a conda package (conda only warns and may run another pip; Krait will not install into the wrong
    /// python).
    /// </summary>
    public void Check(IReadOnlyList<PackageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!records.Any(r => r.Name == "python"))
        {
            throw new KraitException("CondaEnvException", $"{EnvironmentFile} has a pip: section, but its environment has no python to run pip with", "add python and pip to its dependencies");
        }

        if (!records.Any(r => r.Name == "pip"))
        {
            throw new KraitException("CondaEnvException", $"{EnvironmentFile} has a pip: section, but its environment has no pip", "add pip to its dependencies");
        }
    }

    /// <summary>What <c>--dry-run</c> says of the section: pip's part is not solved in advance.</summary>
    public void WritePlan(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"Then pip would install, from the pip: section of {EnvironmentFile}:");
        foreach (var line in Requirements)
        {
            output.WriteLine($"  {line}");
        }
    }

    /// <summary>
    /// Runs pip in the new environment. When pip fails, the environment is removed again, so that a created
    /// environment is always the whole file: the error says so, and pip's own output above it says why.
    /// </summary>
    public void Install(Prefix prefix, IReadOnlyList<PackageRecord> records, string platform, bool json)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var layout = PythonLayout.From(records, platform)!;
        var output = json ? Console.Error : Console.Out;
        if (!json)
        {
            output.WriteLine($"Installing the pip: section of {EnvironmentFile} with {prefix}/{layout.Interpreter} -m pip");
        }

        string? failure = null;
        if (!PipInstaller.HasPip(prefix, layout))
        {
            failure = $"the environment's python has no pip module (no {layout.SitePackages}/pip)";
        }
        else if (PipInstaller.Install(prefix, layout, Requirements, Path.GetDirectoryName(Path.GetFullPath(EnvironmentFile))!, output) is var status and not 0)
        {
            failure = $"pip failed (exit code {status}; its output is above)";
        }

        if (failure is not null)
        {
            Directory.Delete(prefix.Path, recursive: true);
            throw new KraitException("CondaEnvException", $"{failure} installing the pip: section of {EnvironmentFile}; {prefix} was removed again", "fix the pip: section (pip's message says which requirement) and create the environment again");
        }
    }
}
