namespace Krait.Solve.Conda;

/// <summary>How channel order limits the candidates of a name, as conda's <c>channel_priority</c>.</summary>
public enum ChannelPriority
{
    /// <summary>A name comes only from the highest-priority channel that has it (conda's default).</summary>
    Strict,

    /// <summary>Higher-priority channels are preferred, lower ones still allowed.</summary>
    Flexible,

    /// <summary>Channel order is ignored; versions decide.</summary>
    Disabled,
}
