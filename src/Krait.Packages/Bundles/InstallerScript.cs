using System.Globalization;
using System.Text;

namespace Krait.Packages.Bundles;

/// <summary>
/// The shell header of a <c>.sh</c> bundle, in the Anaconda installer's manner: <c>bash NAME.sh [-b] [-p PREFIX]</c>
/// checks the machine, checks the payload's sha256 before anything is written, takes the krait binary out of the
/// payload and runs <c>krait bundle unpack</c> on the file itself. The payload (the bundle's tar) starts at the byte
/// offset the header names, so krait finds it without running the script.
/// </summary>
public static class InstallerScript
{
    public const string OffsetVariable = "KRAIT_PAYLOAD_OFFSET";
    public const string Sha256Variable = "KRAIT_PAYLOAD_SHA256";

    /// <summary>The offset is written with this many digits, so that the header's length does not depend on it.</summary>
    private const int OffsetDigits = 12;

    public static byte[] Header(BundleManifest manifest, string fileName, string payloadSha256)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var name = Quoted(manifest.Name ?? Path.GetFileNameWithoutExtension(fileName));
        var withPlaceholder = Text(manifest, fileName, name, new string('0', OffsetDigits), payloadSha256);
        var offset = Encoding.UTF8.GetByteCount(withPlaceholder);
        return Encoding.UTF8.GetBytes(Text(manifest, fileName, name, offset.ToString(new string('0', OffsetDigits), CultureInfo.InvariantCulture), payloadSha256));
    }

    /// <summary>Where the payload starts and its sha256, read from a header; null when the file is not a Krait installer.</summary>
    public static (long Offset, string Sha256)? Read(ReadOnlySpan<byte> start)
    {
        if (!start.StartsWith("#!"u8))
        {
            return null;
        }

        long? offset = null;
        string? sha256 = null;
        foreach (var line in Encoding.UTF8.GetString(start).Split('\n'))
        {
            if (line.StartsWith(OffsetVariable + "=", StringComparison.Ordinal) && long.TryParse(line.AsSpan(OffsetVariable.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                offset = value;
            }
            else if (line.StartsWith(Sha256Variable + "=", StringComparison.Ordinal))
            {
                sha256 = line[(Sha256Variable.Length + 1)..];
            }
        }

        return offset is { } found && sha256 is { Length: 64 } ? (found, sha256) : null;
    }

    private static string Quoted(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Text(BundleManifest manifest, string fileName, string name, string offset, string sha256) => $$"""
        #!/bin/sh
        # {{fileName}}: an offline installer made by krait bundle: {{manifest.Packages.Count}} conda packages for {{manifest.Platform}}.
        # Install:  bash {{fileName}} [-b] [-p PREFIX]    (-b: batch mode, no questions; -p: where, default $HOME/NAME)
        # Or, with a krait of your own:  krait bundle unpack {{fileName}} -p PREFIX
        set -eu
        KRAIT_BUNDLE_NAME={{name}}
        KRAIT_BUNDLE_PLATFORM={{manifest.Platform}}
        KRAIT_BUNDLE_HAS_KRAIT={{(manifest.Krait is null ? 0 : 1)}}
        {{OffsetVariable}}={{offset}}
        {{Sha256Variable}}={{sha256}}
        usage() {
            echo "usage: bash $0 [-b] [-p PREFIX]"
            echo "  installs the environment $KRAIT_BUNDLE_NAME ($KRAIT_BUNDLE_PLATFORM) without a network"
            echo "  -b         batch mode: ask nothing"
            echo "  -p PREFIX  where to install it (default: \$HOME/$KRAIT_BUNDLE_NAME)"
        }
        prefix="$HOME/$KRAIT_BUNDLE_NAME"
        batch=0
        while getopts "bhp:" option; do
            case "$option" in
                b) batch=1 ;;
                p) prefix="$OPTARG" ;;
                h) usage; exit 0 ;;
                *) usage >&2; exit 2 ;;
            esac
        done
        case "$(uname -s)-$(uname -m)" in
            Linux-x86_64) machine=linux-64 ;;
            Linux-aarch64) machine=linux-aarch64 ;;
            Linux-ppc64le) machine=linux-ppc64le ;;
            Darwin-x86_64) machine=osx-64 ;;
            Darwin-arm64) machine=osx-arm64 ;;
            *) machine="$(uname -s)-$(uname -m)" ;;
        esac
        if [ "$machine" != "$KRAIT_BUNDLE_PLATFORM" ]; then
            echo "error: this installer is for $KRAIT_BUNDLE_PLATFORM, and this machine is $machine; nothing was installed" >&2
            exit 1
        fi
        if [ "$KRAIT_BUNDLE_HAS_KRAIT" != 1 ]; then
            echo "error: this bundle carries no krait binary for $KRAIT_BUNDLE_PLATFORM; nothing was installed" >&2
            echo "hint: install it with a krait built for $KRAIT_BUNDLE_PLATFORM: krait bundle unpack $0 -p $prefix" >&2
            exit 1
        fi
        start=$(expr "${{OffsetVariable}}" + 1)
        if command -v sha256sum >/dev/null 2>&1; then
            actual=$(tail -c +"$start" "$0" | sha256sum | cut -d ' ' -f 1)
        else
            actual=$(tail -c +"$start" "$0" | shasum -a 256 | cut -d ' ' -f 1)
        fi
        if [ "$actual" != "${{Sha256Variable}}" ]; then
            echo "error: $0 is damaged or incomplete (its payload's sha256 is $actual, not ${{Sha256Variable}}); nothing was installed" >&2
            exit 1
        fi
        if [ "$batch" != 1 ]; then
            printf 'Install %s (%s) into %s? [y/N] ' "$KRAIT_BUNDLE_NAME" "$KRAIT_BUNDLE_PLATFORM" "$prefix"
            read -r answer || answer=
            case "$answer" in
                y|Y|yes|YES) ;;
                *) echo "nothing was installed"; exit 1 ;;
            esac
        fi
        work=$(mktemp -d "${TMPDIR:-/tmp}/krait-installer.XXXXXX")
        trap 'rm -rf "$work"' EXIT
        trap 'exit 130' INT TERM
        tail -c +"$start" "$0" | tar -xf - -C "$work" krait
        "$work/krait" bundle unpack "$0" -p "$prefix" -y
        exit 0

        """.ReplaceLineEndings("\n");
}
