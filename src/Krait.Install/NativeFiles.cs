using System.Runtime.InteropServices;

namespace Krait.Install;

/// <summary>Hard links, which .NET has no API for: link(2) on Unix, CreateHardLinkW on Windows (source-generated marshalling, AOT-safe).</summary>
internal static partial class NativeFiles
{
    public static bool TryHardLink(string existing, string link)
    {
        try
        {
            return OperatingSystem.IsWindows() ? CreateHardLinkW(link, existing, 0) : UnixLink(existing, link) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Makes the folder <paramref name="path"/> (its parent must exist) and says whether this call made it: false when
    /// something was already there. Unlike <see cref="Directory.CreateDirectory(string)"/>, which succeeds either way,
    /// this tells two processes apart that race to make the same folder (mkdir(2), CreateDirectoryW).
    /// </summary>
    public static bool TryCreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            if (CreateDirectoryW(path, 0))
            {
                return true;
            }
        }
        else if (UnixMkdir(path, 0b111_111_111) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error is 17 /* EEXIST */ or 183 /* ERROR_ALREADY_EXISTS */ or 80 /* ERROR_FILE_EXISTS */)
        {
            return false;
        }

        throw new IOException($"cannot make the folder {path}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    [LibraryImport("libc", EntryPoint = "mkdir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int UnixMkdir(string path, uint mode);

    [LibraryImport("kernel32.dll", StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateDirectoryW(string path, nint securityAttributes);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int UnixLink(string oldPath, string newPath);

    [LibraryImport("kernel32.dll", StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLinkW(string fileName, string existingFileName, nint securityAttributes);
}
