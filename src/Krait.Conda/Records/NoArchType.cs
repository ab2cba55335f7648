namespace Krait.Conda.Records;

/// <summary>How a package is independent of the platform (<c>noarch</c> in repodata and index.json).</summary>
public enum NoArchType
{
    /// <summary>A platform-specific package.</summary>
    None,

    /// <summary><c>noarch: generic</c>, also written as the legacy <c>noarch: true</c>.</summary>
    Generic,

    /// <summary><c>noarch: python</c>: files are relocated into the environment's site-packages at link time.</summary>
    Python,
}
