using System.Text;

namespace Krait.Install;

/// <summary>
/// Rewrites the build-time prefix placeholder (default <c>/opt/anaconda1anaconda2anaconda3</c>) to the environment's
/// path: everywhere in text files; in binary files only inside NUL-terminated strings, padded with NULs to the same
/// length so that offsets in the binary stay valid — which needs the new prefix to be no longer than the placeholder.
/// </summary>
public static class PrefixReplacer
{
    public const string DefaultPlaceholder = Krait.Packages.PackageContents.DefaultPlaceholder;

    public static byte[] ReplaceText(ReadOnlySpan<byte> content, string placeholder, string prefix)
    {
        var from = Encoding.UTF8.GetBytes(placeholder);
        var to = Encoding.UTF8.GetBytes(prefix);
        using var output = new MemoryStream(content.Length + 64);
        var rest = content;
        while (true)
        {
            var at = rest.IndexOf(from);
            if (at < 0)
            {
                output.Write(rest);
                return output.ToArray();
            }

            output.Write(rest[..at]);
            output.Write(to);
            rest = rest[(at + from.Length)..];
        }
    }

    /// <summary>Replaces inside C strings; throws when the new prefix is longer than the placeholder.</summary>
    public static byte[] ReplaceBinary(ReadOnlySpan<byte> content, string placeholder, string prefix, string fileForErrors)
    {
        var from = Encoding.UTF8.GetBytes(placeholder);
        var to = Encoding.UTF8.GetBytes(prefix);
        if (content.IndexOf(from) < 0)
        {
            return content.ToArray();
        }

        if (to.Length > from.Length)
        {
            throw new InstallException(
                $"{fileForErrors} is a binary file with the build prefix embedded; the environment path '{prefix}' ({to.Length} bytes) is longer than the placeholder ({from.Length} bytes), so it cannot be patched. Choose a shorter environment path.");
        }

        var result = content.ToArray();
        var position = 0;
        while (true)
        {
            var at = result.AsSpan(position).IndexOf(from);
            if (at < 0)
            {
                return result;
            }

            at += position;
            var end = result.AsSpan(at).IndexOf((byte)0);
            end = end < 0 ? result.Length : at + end;
            var original = result.AsSpan(at, end - at).ToArray();
            var replaced = ReplaceText(original, placeholder, prefix);
            replaced.CopyTo(result, at);
            result.AsSpan(at + replaced.Length, original.Length - replaced.Length).Clear();
            position = end;
        }
    }

    /// <summary>
    /// Kernels read at most 127 bytes of a <c>#!</c> line and split it at spaces, so a shebang that names the
    /// environment's interpreter by a long or spaced path would not run: like conda, such a line becomes
    /// <c>#!/usr/bin/env NAME ARGS</c>.
    /// </summary>
    public static byte[] FixShebang(byte[] content, string prefix)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(prefix);
        var marker = Encoding.UTF8.GetBytes("#!" + prefix + "/");
        if (!content.AsSpan().StartsWith(marker))
        {
            return content;
        }

        var end = content.AsSpan().IndexOf((byte)'\n');
        var lineEnd = end < 0 ? content.Length : end;
        if (lineEnd <= 127 && !prefix.Contains(' ', StringComparison.Ordinal))
        {
            return content;
        }

        var rest = Encoding.UTF8.GetString(content, marker.Length, lineEnd - marker.Length);
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var interpreter = space < 0 ? rest : rest[..space];
        var arguments = space < 0 ? string.Empty : rest[space..];
        var name = interpreter[(interpreter.LastIndexOf('/') + 1)..];
        return [.. Encoding.UTF8.GetBytes($"#!/usr/bin/env {name}{arguments}"), .. content.AsSpan(lineEnd)];
    }
}
