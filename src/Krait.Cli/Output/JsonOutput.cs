using System.Text.Encodings.Web;
using System.Text.Json;

namespace Krait.Cli.Output;

/// <summary>Writes JSON to standard output with Utf8JsonWriter: no reflection, so the CLI stays NativeAOT-safe.</summary>
public static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(Action<Utf8JsonWriter> write)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, Options))
        {
            write(writer);
        }

        stdout.Write("\n"u8);
    }
}
