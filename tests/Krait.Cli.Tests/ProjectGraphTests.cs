using System.Xml.Linq;
using Krait.TestSupport;

namespace Krait.Cli.Tests;

/// <summary>
/// The projects' references point one way (the README's layout section, ../shared/design.md): the model knows no IO (Krait.Configuration reads the machine),
/// the solver no files, the installer and the archives no repodata, nothing but the CLI knows the CLI. A new
/// project or reference must be added here on purpose.
/// </summary>
public class ProjectGraphTests
{
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Krait.Conda"] = [],
        ["Krait.Configuration"] = ["Krait.Conda"],
        ["Krait.Files"] = [],
        ["Krait.Networking"] = ["Krait.Conda", "Krait.Files"],
        ["Krait.Repodata"] = ["Krait.Conda", "Krait.Files", "Krait.Networking"],
        ["Krait.Packages"] = ["Krait.Conda", "Krait.Files", "Krait.Networking"],
        ["Krait.Solve"] = ["Krait.Conda"],
        ["Krait.Install"] = ["Krait.Conda", "Krait.Files", "Krait.Packages", "Krait.Solve"],
        ["Krait.Shell"] = ["Krait.Conda"],
        ["Krait.Index"] = ["Krait.Conda", "Krait.Files", "Krait.Packages", "Krait.Repodata"],
        ["Krait.Build"] = ["Krait.Conda", "Krait.Packages", "Krait.Index"],
        ["Krait.Server"] = ["Krait.Conda", "Krait.Files", "Krait.Packages", "Krait.Repodata", "Krait.Index", "Krait.Networking"],
        ["Krait.Cli"] = ["Krait.Conda", "Krait.Configuration", "Krait.Files", "Krait.Networking", "Krait.Repodata", "Krait.Packages", "Krait.Solve", "Krait.Install", "Krait.Shell", "Krait.Index", "Krait.Build"],
    };

    [Fact]
    public void Every_project_references_only_the_layers_below_it()
    {
        var projects = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories);
        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), projects.Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal));
        foreach (var project in projects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            var references = XDocument.Load(project).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).ToList();
            Assert.All(references, r => Assert.True(Allowed[name].Contains(r), $"{name} must not reference {r}"));
        }
    }
}
