using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Krait.Cli.Output;
using Krait.Cli.Remote;
using Krait.Conda.Channels;
using Krait.Conda.Records;
using Krait.Configuration;
using Krait.Files;
using Spectre.Console;

namespace Krait.Cli.Commands;

/// <summary>
/// <c>krait upload -c CHANNEL_URL [--label L] [--force] [--api-key KEY] FILE...</c>: sends packages to a Krait Server
/// (or quetz) channel with quetz's upload route, each with its sha256 so the server can tell a damaged transfer. The
/// key comes from <c>--api-key</c>, from the channel URL (<c>/t/KEY/</c>), or from what <c>krait auth login</c>
/// stored for the host. Every file gets a line: uploaded, or refused with the server's reason; the exit code is 1 if
/// any was refused.
/// </summary>
public static class UploadCommand
{
    public static Command Create()
    {
        var channel = new Option<string>("--channel", "-c") { Description = "the channel's URL, e.g. http://127.0.0.1:8000/mychannel", Required = true };
        var label = new Option<string?>("--label", "-l") { Description = "the label to upload to (default: main)" };
        var force = new Option<bool>("--force") { Description = "replace a file the channel has already" };
        var apiKey = new Option<string?>("--api-key") { Description = "the API key ('-' reads it from standard input); default: krait auth login's for the host" };
        var files = new Argument<string[]>("files") { Description = "the .conda and .tar.bz2 files to upload", Arity = ArgumentArity.OneOrMore };
        var command = new Command("upload", "Upload packages to a Krait Server channel.") { channel, label, force, apiKey, files };
        command.SetAction(parse => CommandRunner.Run(json: false, () =>
            Run(parse.GetValue(channel)!, parse.GetValue(label), parse.GetValue(force), parse.GetValue(apiKey), parse.GetValue(files) ?? [])));
        return command;
    }

    internal static int Run(string channelUrl, string? label, bool force, string? apiKey, string[] files)
    {
        var (server, channel, urlKey) = Split(channelUrl);
        foreach (var file in files)
        {
            if (!File.Exists(file) || !PackageFileName.TryParse(Path.GetFileName(file), out _, out _, out _))
            {
                throw new KraitException("ArgumentError", $"{file} is not a package file", "give .conda or .tar.bz2 files named NAME-VERSION-BUILD.conda");
            }
        }

        var key = apiKey == "-" ? Console.In.ReadLine()?.Trim() : apiKey ?? urlKey;
        var config = CondaConfig.Load();
        var locations = KraitLocations.Resolve(config);
        using var http = Networking.HttpClients.Create(RemoteAccess.Settings(config, locations, offline: false));
        http.Timeout = Timeout.InfiniteTimeSpan;
        var refused = 0;
        foreach (var file in files)
        {
            var (status, detail) = Send(http, server, channel, file, label, force, key);
            if (status is >= 200 and < 300)
            {
                Console.WriteLine($"uploaded {Path.GetFileName(file)} to {Channel.Redact(channelUrl)}{(label is null ? string.Empty : $" (label {label})")}");
            }
            else
            {
                refused++;
                Console.Error.WriteLine($"refused {Path.GetFileName(file)}: {status} {detail}");
            }
        }

        return refused == 0 ? 0 : 1;
    }

    /// <summary>The server's base URL, the channel name, and a key given in the URL (<c>/t/KEY/</c>).</summary>
    private static (Uri Server, string Channel, string? Key) Split(string channelUrl)
    {
        if (!Uri.TryCreate(channelUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new KraitException("ArgumentError", $"'{Channel.Redact(channelUrl)}' is not a channel URL", "give the channel's http(s) URL, e.g. http://127.0.0.1:8000/mychannel");
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        string? key = null;
        var tokenAt = segments.IndexOf("t");
        if (tokenAt >= 0 && tokenAt + 1 < segments.Count)
        {
            key = segments[tokenAt + 1];
            segments.RemoveRange(tokenAt, 2);
        }

        if (segments.Count == 0)
        {
            throw new KraitException("ArgumentError", $"'{Channel.Redact(channelUrl)}' names no channel", "end the URL with the channel's name");
        }

        var channel = segments[^1];
        segments.RemoveAt(segments.Count - 1);
        if (segments.Count > 0 && segments[^1] == "get")
        {
            segments.RemoveAt(segments.Count - 1);
        }

        var server = new UriBuilder(uri) { Path = string.Join('/', segments) + "/", Query = string.Empty, Fragment = string.Empty }.Uri;
        return (server, channel, key);
    }

    private static (int Status, string Detail) Send(HttpClient http, Uri server, string channel, string file, string? label, bool force, string? key)
    {
        var name = Path.GetFileName(file);
        var sha256 = FileDigest.Of(file).Sha256;
        var query = $"sha256={sha256}&force={(force ? "true" : "false")}" + (label is null ? string.Empty : $"&label={Uri.EscapeDataString(label)}");
        var url = new Uri(server, $"api/channels/{Uri.EscapeDataString(channel)}/upload/{Uri.EscapeDataString(name)}?{query}");
        using var stream = File.OpenRead(file);
        HttpResponseMessage Post(Stream body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StreamContent(body, 1 << 16) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Content.Headers.ContentLength = stream.Length;
            if (key is not null)
            {
                request.Headers.Add("X-API-Key", key);
            }

            return http.Send(request);
        }

        using var response = Console.IsErrorRedirected
            ? Post(stream)
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }).Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn())
                .Start(context =>
                {
                    var task = context.AddTask(name, maxValue: stream.Length);
                    return Post(new CountingStream(stream, read => task.Increment(read)));
                });
        return ((int)response.StatusCode, Detail(response));
    }

    /// <summary>The server's <c>detail</c> (quetz's error shape), or its status text.</summary>
    private static string Detail(HttpResponseMessage response)
    {
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                return detail.GetString()!;
            }
        }
        catch (JsonException)
        {
            // not JSON: the status says it
        }

        return response.StatusCode == HttpStatusCode.NotFound ? "the server has no such channel (or no upload API)" : response.ReasonPhrase ?? string.Empty;
    }

    /// <summary>Reports how much of the file has been read (sent) so far.</summary>
    private sealed class CountingStream(Stream inner, Action<int> read) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            read(n);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            read(n);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
