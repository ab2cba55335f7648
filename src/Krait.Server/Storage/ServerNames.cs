namespace Krait.Server.Storage;

/// <summary>
/// The names that come in URLs and uploads and become folder names: channels and labels (and users). Letters, digits and single
/// <c>.</c>, <c>-</c>, <c>_</c> between them (conda's name grammar), at most 64 characters; never a name the URL
/// layout uses for itself.
/// </summary>
public static class ServerNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "api", "t", "get", "label", "healthz", "metrics", "static" };

    public static bool IsChannel(string? name) => Conda.Records.PackageNaming.IsValidName(name) && !Reserved.Contains(name!);

    public static bool IsLabel(string? name) => Conda.Records.PackageNaming.IsValidName(name);

    /// <summary>A user's name: the same grammar (it appears in logs, API answers and, later, URLs).</summary>
    public static bool IsUser(string? name) => Conda.Records.PackageNaming.IsValidName(name);

    public const string MainLabel = "main";
}
