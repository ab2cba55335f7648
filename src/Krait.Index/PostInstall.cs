namespace Krait.Index;

/// <summary>
/// What a package does beyond unpacking files, read from its <c>info/paths.json</c> as conda-index does for
/// <c>channeldata.json</c>: files with the build prefix embedded (text or binary), activation scripts, link scripts.
/// </summary>
[Flags]
public enum PostInstall
{
    None = 0,
    BinaryPrefix = 1,
    TextPrefix = 2,
    ActivateD = 4,
    DeactivateD = 8,
    PreLink = 16,
    PostLink = 32,
    PreUnlink = 64,
}
