using System.Runtime.InteropServices;

namespace Krait.Configuration.VirtualPackages;

/// <summary>Calls into the C library and the CUDA driver to read versions; AOT-safe (no runtime marshalling stubs).</summary>
internal static unsafe partial class NativeProbes
{
    /// <summary>glibc's own version string, or null on a system without glibc (musl, macOS, Windows).</summary>
    public static string? GlibcVersion()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc))
        {
            return null;
        }

        try
        {
            if (!NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out var function))
            {
                return null;
            }

            var version = ((delegate* unmanaged<byte*>)function)();
            return version is null ? null : Marshal.PtrToStringUTF8((nint)version);
        }
        finally
        {
            NativeLibrary.Free(libc);
        }
    }

    /// <summary>The CUDA driver's version as "major.minor", or null when no driver can be loaded.</summary>
    public static string? CudaDriverVersion()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "nvcuda.dll" } : ["libcuda.so.1", "libcuda.so", "/usr/lib/wsl/lib/libcuda.so.1"];
        foreach (var name in names)
        {
            if (!NativeLibrary.TryLoad(name, out var cuda))
            {
                continue;
            }

            try
            {
                if (!NativeLibrary.TryGetExport(cuda, "cuInit", out var init) || !NativeLibrary.TryGetExport(cuda, "cuDriverGetVersion", out var getVersion))
                {
                    return null;
                }

                if (((delegate* unmanaged<uint, int>)init)(0) != 0)
                {
                    return null;
                }

                int version;
                if (((delegate* unmanaged<int*, int>)getVersion)(&version) != 0)
                {
                    return null;
                }

                return $"{version / 1000}.{version % 1000 / 10}";
            }
            finally
            {
                NativeLibrary.Free(cuda);
            }
        }

        return null;
    }
}
