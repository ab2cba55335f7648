namespace Krait.Conda.Records;

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
    /// or <c>.tar.bz2</c>: one path segment, in conda's grammar, naming that very package. Checked without
    /// allocating: every record of every repodata passes here.
    /// </summary>
    public static string? Problem(string? fileName, string name, string version, string build)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(build);
        if (string.IsNullOrEmpty(fileName))
        {
            return "it has no file name";
        }

        if (Names(fileName, name, version, build) && PackageNaming.IsValidName(name) && PackageNaming.IsValidVersion(version) && PackageNaming.IsValidBuild(build))
        {
            return null;
        }

        return Explain(fileName, name, version, build);
    }

    /// <summary>True when <paramref name="fileName"/> is exactly <c>name-version-build</c> plus a package extension (the parts themselves are not checked).</summary>
    internal static bool Names(string fileName, string name, string version, string build)
    {
        var stemLength = fileName.EndsWith(CondaExtension, StringComparison.Ordinal) ? fileName.Length - CondaExtension.Length
            : fileName.EndsWith(TarBz2Extension, StringComparison.Ordinal) ? fileName.Length - TarBz2Extension.Length
            : -1;
        var stem = stemLength < 0 ? default : fileName.AsSpan(0, stemLength);
        return stemLength == name.Length + version.Length + build.Length + 2
            && fileName.Length <= PackageNaming.MaxFileNameLength
            && stem.StartsWith(name, StringComparison.Ordinal)
            && stem[name.Length] == '-'
            && stem[(name.Length + 1)..].StartsWith(version, StringComparison.Ordinal)
            && stem[name.Length + 1 + version.Length] == '-'
            && stem.EndsWith(build, StringComparison.Ordinal);
    }

    /// <summary>What is wrong with a file name <see cref="Names"/> refused.</summary>
    internal static string Explain(string fileName, string name, string version, string build)
    {
        return TryParse(fileName, out _, out _, out _)
            ? $"its file name '{fileName}' does not name the package it describes ({PackageNaming.Shown(name)}-{PackageNaming.Shown(version)}-{PackageNaming.Shown(build)})"
            : $"its file name '{PackageNaming.Shown(fileName)}' is not <name>-<version>-<build>.conda or .tar.bz2";
    }
}
