using System.Text;

namespace Krait.Build.Building;

/// <summary>How a built file holds the host prefix: not at all, as text, or inside a binary (it has a NUL byte), as conda-build decides.</summary>
public enum PrefixKind
{
    None,
    Text,
    Binary,
}

/// <summary>
/// Finds the host prefix in built files, and rewrites shebangs that name it: a <c>#!</c> line longer than the
/// kernel's 127 characters (the padded prefix always is) becomes <c>#!/usr/bin/env PROGRAM</c>, as conda-build
/// writes it, so the script runs from any environment without its prefix being written in.
/// </summary>
public static class PrefixDetection
{
    private const int ShebangLimit = 127;

    public static PrefixKind Detect(ReadOnlySpan<byte> content, string prefix)
    {
        var needle = Encoding.UTF8.GetBytes(prefix);
        return content.IndexOf(needle) < 0 ? PrefixKind.None : content.IndexOf((byte)0) >= 0 ? PrefixKind.Binary : PrefixKind.Text;
    }

    /// <summary>The content with a long or prefix-naming shebang rewritten, or the same array when there is none.</summary>
    public static byte[] RewriteShebang(byte[] content, string prefix)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length < 2 || content[0] != '#' || content[1] != '!')
        {
            return content;
        }

        var end = Array.IndexOf(content, (byte)'\n');
        var line = Encoding.UTF8.GetString(content, 0, end < 0 ? content.Length : end);
        var command = line[2..].Trim();
        if (line.Length <= ShebangLimit && !command.StartsWith(prefix, StringComparison.Ordinal))
        {
            return content;
        }

        var space = command.IndexOf(' ', StringComparison.Ordinal);
        var program = space < 0 ? command : command[..space];
        var arguments = space < 0 ? string.Empty : command[space..];
        var replaced = Encoding.UTF8.GetBytes($"#!/usr/bin/env {Path.GetFileName(program)}{arguments}");
        return end < 0 ? replaced : [.. replaced, .. content.AsSpan(end)];
    }
}
