using System.Diagnostics;

namespace Krait.TestSupport;

/// <summary>
/// A real small or read-only file system for resource-fault tests: a tmpfs mounted on a folder (Linux, as root,
/// which CI is; a user without the right gets null and the test says so). Read-only permissions alone prove nothing
/// as root, and a full disk cannot be faked otherwise.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on <paramref name="path"/> (made if missing); null when mounting is not possible here.</summary>
    public static Tmpfs? Mount(string path, long bytes)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Directory.CreateDirectory(path);
        return Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path) ? new Tmpfs(path) : null;
    }

    /// <summary>Makes the file system read-only (or writable again).</summary>
    public void SetReadOnly(bool readOnly)
    {
        if (!Run("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path))
        {
            throw new InvalidOperationException($"cannot remount {Path}");
        }
    }

    /// <summary>Grows (or shrinks) the file system to <paramref name="bytes"/>.</summary>
    public void Resize(long bytes)
    {
        if (!Run("mount", "-o", $"remount,size={bytes}", Path))
        {
            throw new InvalidOperationException($"cannot resize {Path}");
        }
    }

    public void Dispose()
    {
        if (!Run("umount", "-l", Path))
        {
            throw new InvalidOperationException($"cannot unmount {Path}");
        }
    }

    /// <summary>Why a test that needs a mount could not run (it fails then: CI runs as root).</summary>
    public const string Unavailable = "mounting a tmpfs needs root on Linux (CI runs as root)";

    private static bool Run(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
