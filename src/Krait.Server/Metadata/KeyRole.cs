namespace Krait.Server.Metadata;

/// <summary>
/// One scope of an API key (quetz's <c>{channel, package, role}</c>): the key acts with at most <see cref="Role"/> in
/// <see cref="Channel"/>, or only for <see cref="Package"/> when one is named (an upload key for one package).
/// </summary>
public sealed record KeyRole(string Channel, string? Package, ChannelRole Role);
