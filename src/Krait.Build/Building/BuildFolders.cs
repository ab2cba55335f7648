namespace Krait.Build.Building;

/// <summary>
/// Where one package is built, under <c>OUTPUT/bld/NAME-VERSION-BUILD/</c>: the source (<c>work</c>, SRC_DIR), the
/// build environment (<c>build_env</c>, BUILD_PREFIX) and the host environment (PREFIX), whose path is padded with
/// <c>_placehold</c> to 255 characters as conda-build and rattler-build pad it, so that an installer can write any
/// shorter environment path over it in binaries. Every name comes from the package, none from the clock, so that
/// the same recipe builds in the same places and gives the same bytes.
/// </summary>
public sealed record BuildFolders(string Root, string Source, string BuildPrefix, string HostPrefix, string Staging)
{
    public const int PaddedLength = 255;

    public static BuildFolders For(string outputDirectory, string packageName)
    {
        var root = Path.Combine(Path.GetFullPath(outputDirectory), "bld", packageName);
        var host = Path.Combine(root, "host_env");
        var padding = PaddedLength - host.Length;
        if (padding > 0)
        {
            host += string.Concat(Enumerable.Repeat("_placehold", (padding / 10) + 1))[..padding];
        }

        return new BuildFolders(root, Path.Combine(root, "work"), Path.Combine(root, "build_env"), host, Path.Combine(root, "pkg"));
    }

    /// <summary>Starts afresh: what an earlier build of the same package left is removed.</summary>
    public void Reset()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        Directory.CreateDirectory(Source);
    }
}
