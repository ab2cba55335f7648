using System.Text;
using Krait.Build.Recipes;
using Krait.Conda.Parsing;

namespace Krait.Build.Building;

/// <summary>
/// <c>info/tests/tests.yaml</c>: the package's rendered tests in the v1 recipe's form, as rattler-build writes them,
/// so that the package can be tested again later without its recipe.
/// </summary>
public static class TestsFile
{
    public static void Write(string path, IReadOnlyList<RecipeTest> tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        var text = new StringBuilder();
        foreach (var test in tests)
        {
            switch (test)
            {
                case ScriptTest script:
                    text.Append("- script:\n");
                    List(text, "    ", script.Lines);
                    if (script.Requirements.Count > 0)
                    {
                        text.Append("  requirements:\n    run:\n");
                        List(text, "      ", script.Requirements);
                    }

                    break;
                case PythonTest python:
                    text.Append("- python:\n    imports:\n");
                    List(text, "      ", python.Imports);
                    text.Append(python.PipCheck ? "    pip_check: true\n" : "    pip_check: false\n");
                    break;
                case PackageContentsTest contents:
                    text.Append("- package_contents:\n");
                    foreach (var (name, values) in new[] { ("files", contents.Files), ("site_packages", contents.SitePackages), ("bin", contents.Bin), ("lib", contents.Lib), ("include", contents.Include) })
                    {
                        if (values.Count > 0)
                        {
                            text.Append("    ").Append(name).Append(":\n");
                            List(text, "      ", values);
                        }
                    }

                    break;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ToString());
    }

    private static void List(StringBuilder text, string indent, IReadOnlyList<string> values)
    {
        foreach (var value in values)
        {
            text.Append(indent).Append("- ").Append(YamlScalar.Write(value)).Append('\n');
        }
    }
}
