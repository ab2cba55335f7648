using System.Text.Json;
using Krait.Conda.Parsing;

namespace Krait.Packages;

/// <summary>
/// What <c>info/about.json</c> says of a package for people (CEP-34): summary, description, links, license, and the
/// channels it was built from. Channel indexes put these into <c>channeldata.json</c>.
/// </summary>
public sealed record PackageAbout(
    string? Summary,
    string? Description,
    string? Home,
    string? DevUrl,
    string? DocUrl,
    string? License,
    string? LicenseFamily,
    IReadOnlyList<string> Channels)
{
    /// <summary>The about.json of an extracted package; null when it has none, an <see cref="InvalidDataException"/> when it is malformed.</summary>
    public static PackageAbout? Read(string extracted)
    {
        var path = Path.Combine(extracted, "info", "about.json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path} is not a JSON object");
            }

            return new PackageAbout(
                root.String("summary"),
                root.String("description"),
                root.String("home"),
                root.String("dev_url"),
                root.String("doc_url"),
                root.String("license"),
                root.String("license_family"),
                root.Strings("channels"));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"malformed {path}: {e.Message}", e);
        }
    }
}
