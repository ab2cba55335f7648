using Krait.Build.Recipes;
using Krait.Configuration;
using Krait.Files;
using Krait.Networking;

namespace Krait.Cli.Building;

/// <summary>
/// Downloads a recipe's remote <c>url</c> sources through Krait's HTTP stack (proxies, TLS settings, retries, the
/// digest checked as the bytes arrive) into <c>OUTPUT/src_cache/</c>, named by their sha256, where a later build
/// finds them again.
/// </summary>
internal sealed class SourceDownloads(CondaConfig config, KraitLocations locations, string outputDirectory)
{
    public string Fetch(RecipeSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var url = source.Url!;
        var name = source.FileName ?? Path.GetFileName(new Uri(url).LocalPath);
        var cache = Path.Combine(Path.GetFullPath(outputDirectory), "src_cache");
        var path = Path.Combine(cache, $"{(source.Sha256 ?? source.Md5)![..12]}-{name}");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(cache);
        using var remote = Remote.RemoteAccess.Create(config, locations, offline: false, useIndexCache: false);
        try
        {
            remote.Downloads.DownloadAll([new DownloadRequest(name, url, path, new ExpectedDigest(null, source.Sha256, source.Md5))]);
        }
        catch (Exception e) when (e is HttpRequestException or DigestMismatchException or IOException)
        {
            throw new Krait.Build.Building.BuildException($"source {url} could not be downloaded: {e.Message}");
        }

        return path;
    }
}
