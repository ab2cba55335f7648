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
        catch (Exception e) when (e is FormatException or NotSupportedException)
        {
            throw new KraitException("CondaValueError", e.Message);
        }
    }
}
