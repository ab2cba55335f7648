using System.Runtime.InteropServices;

namespace Krait.Files;

/// <summary>What is at a path, as <c>lstat</c> says (a symlink is not followed).</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    Symlink,

    /// <summary>A fifo, socket or device: nothing a channel, a package or an environment may hold.</summary>
    Special,
}

/// <summary>
/// The kind of a file without opening it. .NET reports fifos and devices as ordinary files, and opening a fifo
/// blocks until something writes to it, so a channel whose <c>repodata.json</c> is a fifo would hang Krait for
/// ever; this asks the kernel instead (<c>statx</c> on Linux, <c>lstat</c> on macOS: both AOT-safe imports).
/// </summary>
public static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const int DarwinModeOffset = 4;
    private const int TypeMask = 0xF000;
    private static bool nativeMissing;

    public static FileKind Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!nativeMissing && !OperatingSystem.IsWindows() && TryNative(path, out var kind))
        {
            return kind;
        }

        return Managed(path);
    }

    /// <summary>Throws an <see cref="IOException"/> naming <paramref name="what"/> unless <paramref name="path"/> is a regular file (or a symlink to one).</summary>
    public static void RequireRegularFile(string path, string what)
    {
        var kind = Of(path);
        if (kind == FileKind.Symlink && File.Exists(path))
        {
            kind = Of(Path.GetFullPath(File.ResolveLinkTarget(path, returnFinalTarget: true)!.FullName));
        }

        switch (kind)
        {
            case FileKind.Regular:
                return;
            case FileKind.Missing:
                throw new FileNotFoundException($"{what} {path} does not exist", path);
            case FileKind.Directory:
                throw new IOException($"{what} {path} is a folder, not a file");
            default:
                throw new IOException($"{what} {path} is not a regular file (a fifo, socket or device, or a link to nothing); refusing to read it");
        }
    }

    /// <summary>Deletes what is at <paramref name="path"/>: a link itself (never what it points to), a file, or a whole folder; nothing when nothing is there.</summary>
    public static void Delete(string path)
    {
        switch (Of(path))
        {
            case FileKind.Missing:
                return;
            case FileKind.Directory:
                Directory.Delete(path, recursive: true);
                return;
            default:
                File.Delete(path);
                return;
        }
    }

    private static FileKind Managed(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return FileKind.Symlink;
        }

        return Directory.Exists(path) ? FileKind.Directory : info.Exists ? FileKind.Regular : FileKind.Missing;
    }

    private static unsafe bool TryNative(string path, out FileKind kind)
    {
        kind = FileKind.Missing;
        var buffer = stackalloc byte[512];
        int result;
        int modeOffset;
        try
        {
            if (OperatingSystem.IsLinux())
            {
                result = Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer);
                modeOffset = StatxModeOffset;
            }
            else if (OperatingSystem.IsMacOS())
            {
                result = DarwinLstat(path, buffer);
                modeOffset = DarwinModeOffset;
            }
            else
            {
                return false;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            nativeMissing = true;
            return false;
        }

        if (result != 0)
        {
            // ENOENT, ENOTDIR: nothing there. Anything else (EACCES) is for .NET's own calls to find and report.
            return Marshal.GetLastPInvokeError() is 2 or 20;
        }

        kind = (*(ushort*)(buffer + modeOffset) & TypeMask) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.Symlink,
            _ => FileKind.Special,
        };
        return true;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int DarwinLstat(string path, byte* buffer);
}
