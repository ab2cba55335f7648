using Krait.TestSupport;

namespace Krait.Index.Tests;

/// <summary>Channels to index: copies of the archives of a real channel (the index writes beside them, never into ../shared).</summary>
internal static class TestChannels
{
    /// <summary>The archives of the shared channel <paramref name="name"/>, copied into <paramref name="destination"/> subdir by subdir.</summary>
    public static void CopyArchives(string name, string destination)
    {
        var source = RepoPaths.Channel(name);
        foreach (var subdir in Directory.EnumerateDirectories(source))
        {
            var target = Path.Combine(destination, Path.GetFileName(subdir));
            Directory.CreateDirectory(target);
            foreach (var archive in Directory.EnumerateFiles(subdir).Where(f => ChannelLayout.IsArchive(Path.GetFileName(f))))
            {
                File.Copy(archive, Path.Combine(target, Path.GetFileName(archive)));
            }
        }
    }
}
