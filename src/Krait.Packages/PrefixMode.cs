namespace Krait.Packages;

/// <summary>How the installer rewrites the build prefix in a file (paths.json <c>file_mode</c>).</summary>
public enum PrefixMode
{
    /// <summary>Replaced as text: the new prefix may be longer or shorter.</summary>
    Text,

    /// <summary>Replaced inside a NUL-terminated string, padded to the old length: binaries keep their offsets.</summary>
    Binary,
}
