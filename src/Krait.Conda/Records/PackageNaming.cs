using System.Buffers;
using Krait.Conda.Platforms;

namespace Krait.Conda.Records;

/// <summary>
/// CEP-26's grammar for the strings that identify a package: its name, version, build string and subdir. These are
/// the strings that become file and folder names (<c>conda-meta/NAME-VERSION-BUILD.json</c>, the package cache's
/// <c>NAME-VERSION-BUILD/</c>, the archive's own name), and they come from channels, archives and environments that
/// Krait does not trust: a value that breaks the grammar could hold a separator or <c>..</c> and reach outside the
/// folder it is meant for. Every reader of records checks them here, in one place, before any path is built.
/// </summary>
public static class PackageNaming
{
    /// <summary>CEP-26's maximum lengths.</summary>
    public const int MaxNameLength = 64;

    public const int MaxVersionLength = 64;

    public const int MaxBuildLength = 64;

    public const int MaxSubdirLength = 32;

    public const int MaxFileNameLength = 211;

    /// <summary>
    /// A distributable package name: letters, digits and single <c>.</c>, <c>-</c>, <c>_</c> between them (case-insensitive,
    /// as CEP-26 says). CEP-26 states it as the regex
    /// <c>^(([a-z0-9])|([a-z0-9_](?!_)))[._-]?([a-z0-9]+(\.|-|_|$))*$</c>; this is that regex written out by hand,
    /// because every record of every repodata passes here and a regex match per record cost a tenth of the parse
    /// (the tests check the two agree).
    /// </summary>
    public static bool IsValidName(string? name)
    {
        if (name is not { Length: > 0 and <= MaxNameLength } || !(char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_'))
        {
            return false;
        }

        var i = 1;
        if (name[0] == '_' && i < name.Length && name[i] == '_')
        {
            return false;
        }

        if (i < name.Length && IsSeparator(name[i]))
        {
            i++;
        }

        // Then runs of letters and digits, each ended by one separator or by the end.
        while (i < name.Length)
        {
            if (!char.IsAsciiLetterOrDigit(name[i]))
            {
                return false;
            }

            while (i < name.Length && char.IsAsciiLetterOrDigit(name[i]))
            {
                i++;
            }

            if (i < name.Length && !IsSeparator(name[i++]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A virtual package name: <c>__</c> then the distributable grammar without a leading underscore (CEP-26).</summary>
    public static bool IsValidVirtualName(string? name) =>
        name is { Length: > 2 and <= MaxNameLength } && name.StartsWith("__", StringComparison.Ordinal) && char.IsAsciiLetterOrDigit(name[2]) && IsValidName(name[2..]);

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
    public static bool IsValidSubdir(string? subdir)
    {
        if (subdir is not { Length: > 0 and <= MaxSubdirLength })
        {
            return false;
        }

        var dash = subdir.IndexOf('-', StringComparison.Ordinal);
        return subdir == Platform.NoArch
            || (dash > 0 && dash < subdir.Length - 1 && IsLowerAlphanumeric(subdir.AsSpan(0, dash)) && IsLowerAlphanumeric(subdir.AsSpan(dash + 1)));
    }

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

        // The parts are checked above: only how the file name is made of them is left.
        return string.IsNullOrEmpty(record.FileName) ? "it has no file name"
            : PackageFileName.Names(record.FileName, record.Name, record.Version, record.Build) ? null
            : PackageFileName.Explain(record.FileName, record.Name, record.Version, record.Build);
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

    private static readonly SearchValues<char> VersionCharacters = SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._+!");
    private static readonly SearchValues<char> BuildCharacters = SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._+");

    private static bool IsSeparator(char c) => c is '.' or '-' or '_';

    private static bool IsLowerAlphanumeric(ReadOnlySpan<char> text) => text.IndexOfAnyExcept(LowerAlphanumerics) < 0;

    private static readonly SearchValues<char> LowerAlphanumerics = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");
}
