namespace Krait.Conda;

/// <summary>Package archive file names: <c>&lt;name&gt;-&lt;version&gt;-&lt;build&gt;.conda</c> or <c>.tar.bz2</c>.</summary>
public static class PackageFileName
{
    public const string CondaExtension = ".conda";
    public const string TarBz2Extension = ".tar.bz2";

    /// <summary>The file name without its package extension (<c>numpy-1.0-0.conda</c> → <c>numpy-1.0-0</c>).</summary>
    public static string Stem(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (fileName.EndsWith(CondaExtension, StringComparison.Ordinal))
        {
            return fileName[..^CondaExtension.Length];
        }

        return fileName.EndsWith(TarBz2Extension, StringComparison.Ordinal) ? fileName[..^TarBz2Extension.Length] : fileName;
    }

    public static bool IsCondaFormat(string fileName) => fileName.EndsWith(CondaExtension, StringComparison.Ordinal);
}
