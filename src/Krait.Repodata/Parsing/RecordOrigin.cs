namespace Krait.Repodata.Parsing;

/// <summary>
/// Where a repodata file was served from: the channel (as conda names it) and the URL of its subdir.
/// Records get both, and their download URL is the subdir URL unless the file's <c>info.base_url</c> says otherwise.
/// </summary>
public sealed record RecordOrigin(string Channel, string SubdirUrl)
{
    /// <summary>The origin of one subdir of <paramref name="channel"/> (its URL without token or password).</summary>
    public static RecordOrigin Of(Krait.Conda.Channels.Channel channel, string subdir)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new RecordOrigin(channel.Name, channel.SubdirUrl(subdir));
    }

    /// <summary>The URL package files are fetched from: <c>base_url</c> (CEP-15, absolute or relative to the subdir) or the subdir URL.</summary>
    public string DownloadBaseFor(string? baseUrl)
    {
        if (string.IsNullOrEmpty(baseUrl))
        {
            return SubdirUrl;
        }

        if (Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
        {
            return baseUrl.TrimEnd('/');
        }

        return new Uri(new Uri(SubdirUrl.TrimEnd('/') + "/"), baseUrl).AbsoluteUri.TrimEnd('/');
    }
}
