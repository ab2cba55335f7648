using System.Text.Encodings.Web;
using System.Text.Json;

namespace Krait.Index;

/// <summary>A JSON string literal for text the index writes by hand (file names, subdirs, URLs).</summary>
public static class JsonText
{
    public static string Quoted(string text) => $"\"{JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"";
}
