using Krait.Conda;
using Krait.Packages;

namespace Krait.Install;

/// <summary>
/// Creates a new environment from solved records, all or nothing: packages are verified and extracted into the
/// cache, linked into a sibling staging folder (with the final path written into files), their conda-meta records and
/// history written, and only then is the folder renamed to the environment's path. A failure at any point leaves no
/// environment behind (and a finished cache entry stays reusable).
/// </summary>
public static class EnvironmentCreator
{
    public static void Create(string prefix, IReadOnlyList<PackageRecord> records, IReadOnlyList<MatchSpec> requested, PackageCache cache, string command, string? platform = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        prefix = Path.GetFullPath(prefix);
        if (Directory.Exists(prefix) && Directory.EnumerateFileSystemEntries(prefix).Any())
        {
            throw new InstallException($"{prefix} already exists and is not empty; remove it first, or choose another name");
        }

        if (File.Exists(prefix))
        {
            throw new InstallException($"{prefix} is a file");
        }

        var parent = Path.GetDirectoryName(prefix)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(prefix)}.krait-partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            // Everything is verified and extracted before anything is linked; records made from URLs alone get
            // their dependencies and noarch kind from the package itself.
            var ready = new List<(PackageRecord Record, string Extracted)>(records.Count);
            foreach (var record in records)
            {
                var extracted = cache.Ensure(record, LocalArchive(record));
                ready.Add((PackageIndex.Complete(record, extracted), extracted));
            }

            var python = PythonLayout.From(ready.Select(r => r.Record), platform ?? Platform.Current);
            foreach (var (record, extracted) in ready)
            {
                var linked = PackageLinker.Link(record, extracted, staging, prefix, python);
                var requestedSpec = requested.FirstOrDefault(s => s.Name.Matches(record.Name))?.ToString();
                PrefixRecordWriter.Write(staging, record, linked, extracted, Path.Combine(cache.Directory, record.FileName), requestedSpec);
            }

            PrefixRecordWriter.AppendHistory(staging, command, ready.Select(r => r.Record), requested.Select(s => s.ToString()));
            if (Directory.Exists(prefix))
            {
                Directory.Delete(prefix);
            }

            Directory.Move(staging, prefix);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The archive of a record served by a local channel (file:// URL).</summary>
    private static string LocalArchive(PackageRecord record)
    {
        if (record.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            if (!File.Exists(uri.LocalPath))
            {
                throw new InstallException($"{record}: the channel lists {record.FileName} but {uri.LocalPath} does not exist");
            }

            return uri.LocalPath;
        }

        throw new InstallException($"{record}: downloading {Channel.Redact(record.Url ?? record.FileName)} needs remote channel support (issue 5); only local channels can be installed from yet");
    }
}
