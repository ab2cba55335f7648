using Krait.Conda.Channels;
using Krait.Conda.Records;
namespace Krait.Conda.Environments;

/// <summary>One package of an explicit environment file: its URL and the checksum written after <c>#</c>, if any.</summary>
public sealed record ExplicitPackage(string Url, string? Md5, string? Sha256)
{
    /// <summary>The archive's file name (the URL's last segment, unescaped).</summary>
    public string FileName => Uri.UnescapeDataString(Url[(Url.LastIndexOf('/') + 1)..]);

    /// <summary>
    /// The record the URL implies: name, version and build from <c>name-version-build.ext</c>, the subdir and channel
    /// from the folders above it. The rest comes from the package's <c>info/index.json</c> once it is extracted.
    /// Lockfiles add what they know beyond the URL: the dependencies and the size.
    /// </summary>
    public PackageRecord ToRecord(IReadOnlyList<string>? depends = null, long? size = null)
    {
        if (!PackageFileName.TryParse(FileName, out var name, out var version, out var build))
        {
            throw new FormatException($"'{PackageNaming.Shown(FileName)}' is not <name>-<version>-<build>.conda or .tar.bz2");
        }

        var folder = Url[..Url.LastIndexOf('/')];
        var subdir = folder[(folder.LastIndexOf('/') + 1)..];
        var known = Platforms.Platform.IsKnown(subdir);
        return new PackageRecord
        {
            Name = name,
            Version = version,
            Build = build,
            FileName = FileName,
            Url = Url,
            Md5 = Md5,
            Sha256 = Sha256,
            Depends = depends ?? [],
            Size = size,
            Subdir = known ? subdir : null,
            Channel = known ? folder[..folder.LastIndexOf('/')] : folder,
        };
    }
}

/// <summary>
/// An <c>@EXPLICIT</c> environment file (CEP-23, what <c>conda list --explicit</c> writes): comments, the
/// <c>@EXPLICIT</c> marker, then one package URL per line with an optional <c>#md5</c> or <c>#sha256:…</c>.
/// </summary>
public static class ExplicitEnvironment
{
    public static IReadOnlyList<ExplicitPackage> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var packages = new List<ExplicitPackage>();
        var sawMarker = false;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line == "@EXPLICIT")
            {
                sawMarker = true;
                continue;
            }

            if (!sawMarker)
            {
                throw new FormatException($"{source}:{lineNumber}: an explicit environment file needs the line @EXPLICIT before its package URLs");
            }

            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var url = hash < 0 ? line : line[..hash];
            var checksum = hash < 0 ? null : line[(hash + 1)..];
            if (!Uri.TryCreate(url, UriKind.Absolute, out _) || !(url.EndsWith(PackageFileName.CondaExtension, StringComparison.Ordinal) || url.EndsWith(PackageFileName.TarBz2Extension, StringComparison.Ordinal)))
            {
                throw new FormatException($"{source}:{lineNumber}: '{Channel.Redact(url)}' is not the URL of a .conda or .tar.bz2 package");
            }

            string? md5 = null, sha256 = null;
            if (checksum is not null)
            {
                if (checksum.StartsWith("sha256:", StringComparison.Ordinal) && checksum.Length == 71)
                {
                    sha256 = checksum[7..];
                }
                else if (checksum.Length == 32 && checksum.AsSpan().IndexOfAnyExcept("0123456789abcdefABCDEF") < 0)
                {
                    md5 = checksum;
                }
                else
                {
                    throw new FormatException($"{source}:{lineNumber}: '#{checksum}' is neither an md5 nor sha256:<64 hex digits>");
                }
            }

            packages.Add(new ExplicitPackage(url, md5, sha256));
        }

        if (!sawMarker)
        {
            throw new FormatException($"{source}: not an explicit environment file (no @EXPLICIT line)");
        }

        return packages;
    }

    /// <summary>
    /// An explicit file: the comment lines (each behind <c># </c>), <c>@EXPLICIT</c>, then one URL per package with its
    /// md5 behind <c>#</c> (the form every conda reads), or <c>#sha256:…</c> when only the sha256 is known.
    /// </summary>
    public static string Write(IReadOnlyList<string> comments, IReadOnlyList<ExplicitPackage> packages)
    {
        ArgumentNullException.ThrowIfNull(comments);
        ArgumentNullException.ThrowIfNull(packages);
        var text = new System.Text.StringBuilder();
        foreach (var comment in comments)
        {
            text.Append("# ").Append(comment).Append('\n');
        }

        text.Append("@EXPLICIT\n");
        foreach (var package in packages)
        {
            text.Append(package.Url);
            if (package.Md5 is not null)
            {
                text.Append('#').Append(package.Md5);
            }
            else if (package.Sha256 is not null)
            {
                text.Append("#sha256:").Append(package.Sha256);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
