using Krait.Cli.Output;
using Krait.Conda.Environments;

namespace Krait.Cli.Installing;

/// <summary>Reading an <c>environment.yml</c> for a command (<c>env create</c>, <c>lock</c>, <c>bundle</c>, <c>compare</c>): the file, or an error that says what is wrong where.</summary>
public static class EnvironmentFileInput
{
    public static EnvironmentFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new KraitException("CondaFileIOError", $"{path} does not exist", "give the environment file with -f FILE");
        }

        try
        {
            return EnvironmentFile.Parse(File.ReadAllText(path), path);
        }
        catch (FormatException e)
        {
            throw new KraitException("CondaValueError", e.Message);
        }
    }

    /// <summary>
    /// As <see cref="Read"/>, for a command that handles conda packages only (<paramref name="what"/> says what it
    /// makes): a <c>pip:</c> section is refused rather than left out of the result without a word.
    /// </summary>
    public static EnvironmentFile ReadCondaOnly(string path, string what)
    {
        var environment = Read(path);
        if (environment.PipRequirements.Count > 0)
        {
            throw new KraitException("CondaValueError", $"{path} has a pip: section, and {what} holds conda packages only", "leave the pip: section out of the file for this command; krait env create installs it with pip");
        }

        return environment;
    }
}
