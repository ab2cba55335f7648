namespace Krait.Conda.Versions;

/// <summary>One relation of a version spec, e.g. <c>&gt;=1.2</c> or <c>1.2.*</c>.</summary>
public sealed class VersionConstraint : VersionSpec
{
    private readonly string text;
    private readonly Version? compatiblePrefix;

    internal VersionConstraint(string text, VersionOperator @operator, Version version)
    {
        this.text = text;
        Operator = @operator;
        Version = version;
        if (@operator == VersionOperator.Compatible)
        {
            compatiblePrefix = version.DropLastComponent();
        }
    }

    /// <summary><c>==version</c>: only that version (conda's ordering, so <c>1.0</c> and <c>1.0.0</c> are one).</summary>
    public static VersionConstraint Exactly(Version version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new VersionConstraint("==" + version, VersionOperator.Equal, version);
    }

    public VersionOperator Operator { get; }

    public Version Version { get; }

    public override bool IsExact => Operator == VersionOperator.Equal;

    public override bool Matches(Version version) => Operator switch
    {
        VersionOperator.Equal => version.CompareTo(Version) == 0,
        VersionOperator.NotEqual => version.CompareTo(Version) != 0,
        VersionOperator.Less => version.CompareTo(Version) < 0,
        VersionOperator.LessOrEqual => version.CompareTo(Version) <= 0,
        VersionOperator.Greater => version.CompareTo(Version) > 0,
        VersionOperator.GreaterOrEqual => version.CompareTo(Version) >= 0,
        VersionOperator.StartsWith => version.StartsWith(Version),
        VersionOperator.NotStartsWith => !version.StartsWith(Version),
        VersionOperator.Compatible => version.CompareTo(Version) >= 0 && version.StartsWith(compatiblePrefix!),
        _ => false,
    };

    public override string ToString() => text;
}
