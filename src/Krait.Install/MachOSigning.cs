using System.Buffers.Binary;
using System.Diagnostics;

namespace Krait.Install;

/// <summary>
/// Apple silicon runs no unsigned code, and writing the environment's path into a Mach-O binary (prefix
/// replacement in <c>binary</c> mode) breaks the ad-hoc signature the linker gave it. As conda does on osx-arm64, the
/// binary is signed again ad hoc (<c>codesign -s - -f</c>) right after its prefix is written, before its
/// <c>sha256_in_prefix</c> is taken. Install names are not touched: the same-length replacement leaves load commands
/// where they were. Where <c>codesign</c> is not at hand (an osx-arm64 environment made on another system), the
/// files are named so that they can be signed on the Mac.
/// </summary>
public static class MachOSigning
{
    /// <summary>Whether <paramref name="platform"/>'s binaries must carry a valid signature to run.</summary>
    public static bool Required(string platform) => platform == "osx-arm64";

    /// <summary>A thin (32- or 64-bit, either byte order) or universal Mach-O file.</summary>
    public static bool IsMachO(ReadOnlySpan<byte> content) =>
        content.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(content) is 0xFEEDFACE or 0xFEEDFACF or 0xCEFAEDFE or 0xCFFAEDFE or 0xCAFEBABE or 0xBEBAFECA;

    /// <summary>Signs <paramref name="path"/> ad hoc; null when done, else why not.</summary>
    public static string? SignAdHoc(string path)
    {
        const string codesign = "/usr/bin/codesign";
        if (!OperatingSystem.IsMacOS() || !File.Exists(codesign))
        {
            return "codesign is not on this machine";
        }

        var start = new ProcessStartInfo(codesign) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-s", "-", "-f", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"codesign failed ({error.Result.Trim()})";
    }
}
