namespace Krait.Install;

/// <summary>
/// The environments a user has, found the way conda finds them: the root prefix, the folders of the envs dirs, and
/// the list conda keeps in <c>~/.conda/environments.txt</c> (which Krait adds to, so that <c>conda env list</c> sees
/// Krait's environments too).
/// </summary>
public static class EnvironmentRegistry
{
    public static string ListFile(string home) => Path.Combine(home, ".conda", "environments.txt");

    public static void Register(string home, Prefix environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var prefix = environment.Path;
        var file = ListFile(home);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var known = File.Exists(file) ? File.ReadAllLines(file).Select(l => l.Trim()) : [];
        if (!known.Contains(prefix, StringComparer.Ordinal))
        {
            File.AppendAllLines(file, [prefix]);
        }
    }

    /// <summary>Every environment that still exists, root prefix first, without duplicates.</summary>
    public static IReadOnlyList<string> Find(string rootPrefix, IReadOnlyList<string> envsDirs, string home)
    {
        var found = new List<string>();
        void Add(string path)
        {
            var prefix = Prefix.At(path);
            var full = prefix.Path;
            if (prefix.IsEnvironment && !found.Contains(full, StringComparer.Ordinal))
            {
                found.Add(full);
            }
        }

        Add(rootPrefix);
        foreach (var envs in envsDirs.Where(Directory.Exists))
        {
            foreach (var directory in Directory.EnumerateDirectories(envs).Order(StringComparer.Ordinal))
            {
                Add(directory);
            }
        }

        var file = ListFile(home);
        if (File.Exists(file))
        {
            foreach (var line in File.ReadLines(file).Select(l => l.Trim()).Where(l => l.Length > 0))
            {
                Add(line);
            }
        }

        return found;
    }
}
