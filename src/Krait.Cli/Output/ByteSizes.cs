using System.Globalization;

namespace Krait.Cli.Output;

/// <summary>Sizes as conda shows them: 1024-based, one decimal (<c>12.3 MB</c>), whole bytes under a kilobyte.</summary>
public static class ByteSizes
{
    public static string Human(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B") : string.Create(CultureInfo.InvariantCulture, $"{value:F1} {units[unit]}");
    }
}
