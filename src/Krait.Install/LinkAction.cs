using Krait.Packages;

namespace Krait.Install;

/// <summary>What one path of a package becomes in the environment.</summary>
public enum LinkKind
{
    /// <summary>A regular file: hard-linked or copied, with the prefix placeholder replaced when it has one.</summary>
    File,

    /// <summary>A symlink, recreated with the package's (relative, checked) target.</summary>
    Softlink,

    /// <summary>An empty folder the package ships.</summary>
    Directory,

    /// <summary>A console-script launcher written for a <c>noarch: python</c> entry point.</summary>
    EntryPoint,
}

/// <summary>One path to create in the environment (relative, <c>/</c>-separated) and where it comes from.</summary>
public sealed record LinkAction(string TargetPath, LinkKind Kind, string? Source, PathEntry Entry, EntryPoint? EntryPoint = null);

/// <summary>A <c>noarch: python</c> console script: <c>name = module:function</c>.</summary>
public sealed record EntryPoint(string Name, string Module, string Function);
