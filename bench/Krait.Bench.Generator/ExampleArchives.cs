using System.Globalization;
using Krait.Conda.Records;
using Krait.Packages;

namespace Krait.Bench.Generator;

/// <summary>
/// The tiny real package behind each record of the example channel, so the channel can be installed from, not just
/// searched. The contents follow from the record alone (no random draws), so the same seed gives the same archives;
/// each kind of package shows one thing an installer must do: replace the prefix in a text file, keep an executable
/// bit and a symlink, or relocate a noarch python package into site-packages.
/// </summary>
internal static class ExampleArchives
{
    public static BuiltPackage Write(GeneratedRecord record, string subdirDirectory)
    {
        var builder = new PackageBuilder(record.Name, record.Version, record.Build)
        {
            BuildNumber = record.BuildNumber,
            Subdir = record.Subdir,
            NoArch = record.NoArchPython ? NoArchType.Python : NoArchType.None,
            License = record.License,
            TrackFeatures = record.TrackFeatures,
            Timestamp = record.Timestamp,
        };
        foreach (var dependency in record.Depends)
        {
            builder.Depends.Add(dependency);
        }

        foreach (var constraint in record.Constrains)
        {
            builder.Constrains.Add(constraint);
        }

        builder.Add(PackageFile.Text($"share/{record.Name}/README", Readme(record)));
        foreach (var file in Payload(record))
        {
            builder.Add(file);
        }

        return builder.Write(Path.Combine(subdirDirectory, record.FileName));
    }

    private static IEnumerable<PackageFile> Payload(GeneratedRecord record)
    {
        var module = record.Name.Replace('-', '_').Replace('.', '_');
        switch (record.Kind)
        {
            case PackageKind.Library:
                yield return PackageFile.Text($"etc/{record.Name}.conf", $"# {record.Name} {record.Version}\nprefix = {PackageBuilder.PrefixPlaceholder}\nlibdir = {PackageBuilder.PrefixPlaceholder}/lib\n");
                yield return PackageFile.Text($"bin/{record.Name}", $"#!/bin/sh\n# Prints where {record.Name} is installed: the installer rewrote the prefix below.\necho \"{record.Name} {record.Version} in {PackageBuilder.PrefixPlaceholder}\"\n", executable: true);
                break;
            case PackageKind.Interpreter:
                var minor = record.Version[..record.Version.LastIndexOf('.')];
                yield return PackageFile.Text(
                    $"bin/python{minor}",
                    "#!/bin/sh\n# A stand-in, not an interpreter: the example channel only shows how environments are laid out.\n"
                    + "# Asked to byte-compile (as installers do), it reads the file list and compiles nothing.\n"
                    + "case \"$*\" in *compileall*) cat >/dev/null; exit 0 ;; esac\n"
                    + $"echo \"Python {record.Version} (Krait example channel stand-in)\"\n",
                    executable: true);
                yield return PackageFile.Symlink("bin/python", $"python{minor}");
                yield return PackageFile.Symlink("bin/python3", $"python{minor}");
                yield return PackageFile.Text($"lib/python{minor}/site-packages/README.txt", "Packages for this python go here.\n");
                break;
            case PackageKind.CompiledPython:
                yield return PackageFile.Text($"lib/python{record.PythonMinor}/site-packages/{module}/__init__.py", Module(record));
                break;
            case PackageKind.NoArchPython:
                // noarch: python packages ship site-packages/ at the root; the installer moves it into the python's.
                yield return PackageFile.Text($"site-packages/{module}/__init__.py", Module(record));
                break;
            default:
                break;
        }
    }

    private static string Readme(GeneratedRecord record) => string.Create(
        CultureInfo.InvariantCulture,
        $"{record.Name} {record.Version} ({record.Build}, {record.Subdir})\n\nA tiny stand-in package from Krait's example channel: real layout and metadata, no real software.\n");

    private static string Module(GeneratedRecord record) =>
        $"\"\"\"{record.Name}: a stand-in module from Krait's example channel.\"\"\"\n\n__version__ = \"{record.Version}\"\n";
}
