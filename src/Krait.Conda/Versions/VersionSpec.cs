namespace Krait.Conda;

/// <summary>
/// A conda version constraint such as <c>&gt;=1.2,&lt;2|3.1.*</c>.
/// STUB: the real implementation replaces this file.
/// </summary>
public abstract class VersionSpec
{
    public static VersionSpec Parse(string text) => throw new NotImplementedException(text);

    public abstract bool Matches(Version version);
}
