using System.Text.RegularExpressions;

namespace Krait.Conda;

/// <summary>
/// CEP-26's grammar for the strings that identify a package: its name, version, build string and subdir. These are
/// the strings that become file and folder names (<c>conda-meta/NAME-VERSION-BUILD.json</c>, the package cache's
/// <c>NAME-VERSION-BUILD/</c>, the archive's own name), and they come from channels, archives and environments that
/// Krait does not trust: a value that breaks the grammar could hold a separator or <c>..</c> and reach outside the
/// folder it is meant for. Every reader of records checks them here, in one place, before any path is built.
/// </summary>
public static partial class PackageNaming
{
    /// <summary>CEP-26's maximum lengths.</summary>
    public const int MaxNameLength = 64;

    public const int MaxVersionLength = 64;

    public const int MaxBuildLength = 64;

    public const int MaxSubdirLength = 32;

    public const int MaxFileNameLength = 211;

    /// <summary>A distributable package name: letters, digits and single <c>.</c>, <c>-</c>, <c>_</c> between them (case-insensitive, as CEP-26 says).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && DistributableName().IsMatch(name);

    /// <summary>A virtual package name: <c>__</c> then the distributable grammar.</summary>
    public static bool IsValidVirtualName(string? name) =>
        name is { Length: > 2 and <= MaxNameLength } && VirtualName().IsMatch(name);

    /// <summary>
    /// A version as a file name may carry it: digits, letters, <c>.</c>, <c>_</c>, <c>+</c> and <c>!</c> (CEP-26; upper
    /// case letters too, which real channels use and conda compares case-insensitively). Whether conda can order it is
    /// <see cref="Version.TryParse"/>'s question.
    /// </summary>
    public static bool IsValidVersion(string? version) =>
        version is { Length: > 0 and <= MaxVersionLength } && version.AsSpan().IndexOfAnyExcept(VersionCharacters) < 0;

    /// <summary>A build string: letters, digits, <c>.</c>, <c>_</c> and <c>+</c> (CEP-26).</summary>
    public static bool IsValidBuild(string? build) =>
        build is { Length: > 0 and <= MaxBuildLength } && build.AsSpan().IndexOfAnyExcept(BuildCharacters) < 0;

    /// <summary>A subdir: <c>noarch</c> or <c>os-arch</c> in lower-case letters and digits (CEP-26).</summary>
    public static bool IsValidSubdir(string? subdir) =>
        subdir is { Length: > 0 and <= MaxSubdirLength } && (subdir == Platform.NoArch || SubdirName().IsMatch(subdir));

    /// <summary>
    /// Why the record's identifying fields cannot be trusted to name files, or null when they can: its name, version
    /// and build follow CEP-26, its subdir (when it has one) too, and its file name is exactly
    /// <c>NAME-VERSION-BUILD.conda</c> or <c>.tar.bz2</c>.
    /// </summary>
    public static string? Problem(PackageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!IsValidName(record.Name))
        {
            return $"its name '{Shown(record.Name)}' is not a package name (CEP-26: at most {MaxNameLength} letters, digits and single '.', '-', '_' between them)";
        }

        if (!IsValidVersion(record.Version))
        {
            return $"its version '{Shown(record.Version)}' holds characters a version may not (CEP-26: at most {MaxVersionLength} letters, digits, '.', '_', '+', '!')";
        }

        if (!IsValidBuild(record.Build))
        {
            return $"its build string '{Shown(record.Build)}' holds characters a build string may not (CEP-26: at most {MaxBuildLength} letters, digits, '.', '_', '+')";
        }

        if (record.Subdir is { } subdir && !IsValidSubdir(subdir))
        {
            return $"its subdir '{Shown(subdir)}' is not a subdir (CEP-26: 'noarch' or os-arch)";
        }

        return PackageFileName.Problem(record.FileName, record.Name, record.Version, record.Build);
    }

    /// <summary>Throws <see cref="InvalidPackageRecordException"/> when <see cref="Problem"/> finds one; <paramref name="source"/> says where the record came from.</summary>
    public static void Check(PackageRecord record, string source)
    {
        if (Problem(record) is { } problem)
        {
            throw new InvalidPackageRecordException(source, record.FileName, problem);
        }
    }

    /// <summary>A hostile value shown in a message: control characters escaped, and cut short.</summary>
    public static string Shown(string value)
    {
        var text = value.Length > 80 ? value[..80] + "…" : value;
        if (text.AsSpan().IndexOfAnyInRange('\0', '\u001f') < 0)
        {
            return text;
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c < ' ' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return escaped.ToString();
    }

    private const string VersionCharacters = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._+!";
    private const string BuildCharacters = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._+";

    // \z, not $: .NET's $ also matches before a final newline.
    [GeneratedRegex(@"^(([a-z0-9])|([a-z0-9_](?!_)))[._-]?([a-z0-9]+(\.|-|_|\z))*\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DistributableName();

    [GeneratedRegex(@"^__[a-z0-9][._-]?([a-z0-9]+(\.|-|_|\z))*\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex VirtualName();

    [GeneratedRegex(@"^[a-z0-9]+-[a-z0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex SubdirName();
}
