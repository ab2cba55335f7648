namespace Krait.Packages;

/// <summary>An archive <see cref="PackageBuilder"/> wrote, with what a repodata record says about it.</summary>
public sealed record BuiltPackage(string Path, long Size, string Md5, string Sha256)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}
