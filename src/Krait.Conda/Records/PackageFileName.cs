namespace Krait.Conda;

/// <summary>Package archive file names: <c>&lt;name&gt;-&lt;version&gt;-&lt;build&gt;.conda</c> or <c>.tar.bz2</c>.</summary>
public static class PackageFileName
{
    public const string CondaExtension = ".conda";
    public const string TarBz2Extension = ".tar.bz2";

    /// <summary>The file name without its package extension (<c>numpy-1.0-0.conda</c> → <c>numpy-1.0-0</c>).</summary>
    public static string Stem(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (fileName.EndsWith(CondaExtension, StringComparison.Ordinal))
        {
            return fileName[..^CondaExtension.Length];
        }

        return fileName.EndsWith(TarBz2Extension, StringComparison.Ordinal) ? fileName[..^TarBz2Extension.Length] : fileName;
    }

    public static bool IsCondaFormat(string fileName) => fileName.EndsWith(CondaExtension, StringComparison.Ordinal);

    /// <summary>
    /// Splits <c>name-version-build.ext</c> at its last two dashes (names may hold dashes, versions and build strings
    /// may not), checking each part against <see cref="PackageNaming"/>; false for anything else, a path among it.
    /// </summary>
    public static bool TryParse(string? fileName, out string name, out string version, out string build)
    {
        name = version = build = string.Empty;
        if (fileName is not { Length: > 0 and <= PackageNaming.MaxFileNameLength })
        {
            return false;
        }

        var stem = Stem(fileName);
        if (stem.Length == fileName.Length)
        {
            return false;
        }

        var buildDash = stem.LastIndexOf('-');
        var versionDash = buildDash > 0 ? stem.LastIndexOf('-', buildDash - 1) : -1;
        if (versionDash <= 0)
        {
            return false;
        }

        name = stem[..versionDash];
        version = stem[(versionDash + 1)..buildDash];
        build = stem[(buildDash + 1)..];
        return PackageNaming.IsValidName(name) && PackageNaming.IsValidVersion(version) && PackageNaming.IsValidBuild(build);
    }

    /// <summary>
    /// Why <paramref name="fileName"/> is not the file name of the package <paramref name="name"/>
    /// <paramref name="version"/> <paramref name="build"/>, or null when it is exactly <c>name-version-build.conda</c>
    /// or <c>.tar.bz2</c>: one path segment, in conda's grammar, naming that very package.
    /// </summary>
    public static string? Problem(string? fileName, string name, string version, string build)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return "it has no file name";
        }

        if (!TryParse(fileName, out var fileNameName, out var fileNameVersion, out var fileNameBuild))
        {
            return $"its file name '{PackageNaming.Shown(fileName)}' is not <name>-<version>-<build>.conda or .tar.bz2";
        }

        return fileNameName == name && fileNameVersion == version && fileNameBuild == build
            ? null
            : $"its file name '{fileName}' does not name the package it describes ({name}-{version}-{build})";
    }
}
