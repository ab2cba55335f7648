namespace Krait.Files;

public static partial class FileKinds
{
    private const uint StatxNlink = 0x4;
    private const int StatxNlinkOffset = 16;
    private const int DarwinNlinkOffset = 6;

    /// <summary>
    /// How many names the file at <paramref name="path"/> has (its hard-link count, the link itself for a symlink), or
    /// null where this cannot be asked (Windows, no libc): a caller deciding whether a file is still in use must then
    /// take it as in use.
    /// </summary>
    public static unsafe int? LinkCount(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (nativeMissing || OperatingSystem.IsWindows())
        {
            return null;
        }

        var buffer = stackalloc byte[512];
        try
        {
            if (OperatingSystem.IsLinux())
            {
                return Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxNlink, buffer) == 0 ? (int)*(uint*)(buffer + StatxNlinkOffset) : null;
            }

            if (OperatingSystem.IsMacOS())
            {
                return DarwinLstat(path, buffer) == 0 ? *(ushort*)(buffer + DarwinNlinkOffset) : null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            nativeMissing = true;
        }

        return null;
    }
}
