using System.Globalization;
using System.Text;

namespace Krait.Server.Publishing;

/// <summary>
/// The server's counters, served at <c>/metrics</c> in Prometheus' text format: requests by status class, bytes
/// served, uploads accepted and refused, and the time spent publishing indexes. Every served file passes
/// <see cref="RecordServed"/> (bytes and files served; per-package downloads are metered by <see cref="Metering.DownloadMeter"/>).
/// </summary>
public sealed class ServerMetrics
{
    private readonly long[] requestsByClass = new long[6];
    private long bytesServed;
    private long filesServed;
    private long uploadsAccepted;
    private long uploadsRefused;
    private long indexRuns;
    private long indexMicroseconds;
    private int warm;

    /// <summary>Whether every channel label has been loaded into the publisher since start.</summary>
    public bool Warm
    {
        get => Volatile.Read(ref warm) == 1;
        set => Volatile.Write(ref warm, value ? 1 : 0);
    }

    public void RecordRequest(int status) => Interlocked.Increment(ref requestsByClass[Math.Clamp(status / 100, 0, 5)]);

    public void RecordServed(string channel, string path, long bytes)
    {
        Interlocked.Increment(ref filesServed);
        Interlocked.Add(ref bytesServed, bytes);
    }

    public void RecordUpload(bool accepted) => Interlocked.Increment(ref accepted ? ref uploadsAccepted : ref uploadsRefused);

    public void RecordIndexing(TimeSpan elapsed)
    {
        Interlocked.Increment(ref indexRuns);
        Interlocked.Add(ref indexMicroseconds, (long)elapsed.TotalMicroseconds);
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# HELP krait_http_requests_total HTTP requests answered, by status class.");
        text.AppendLine("# TYPE krait_http_requests_total counter");
        for (var i = 1; i < requestsByClass.Length; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"krait_http_requests_total{{class=\"{i}xx\"}} {Interlocked.Read(ref requestsByClass[i])}");
        }

        Counter(text, "krait_files_served_total", "Channel files served (repodata, shards, packages).", Interlocked.Read(ref filesServed));
        Counter(text, "krait_bytes_served_total", "Bytes of channel files served.", Interlocked.Read(ref bytesServed));
        Counter(text, "krait_uploads_accepted_total", "Package uploads accepted.", Interlocked.Read(ref uploadsAccepted));
        Counter(text, "krait_uploads_refused_total", "Package uploads refused.", Interlocked.Read(ref uploadsRefused));
        Counter(text, "krait_index_runs_total", "Index publications.", Interlocked.Read(ref indexRuns));
        text.AppendLine("# HELP krait_publisher_warm Whether every channel label is loaded for incremental publication (1) or still loading (0).");
        text.AppendLine("# TYPE krait_publisher_warm gauge");
        text.AppendLine(CultureInfo.InvariantCulture, $"krait_publisher_warm {(Warm ? 1 : 0)}");
        text.AppendLine("# HELP krait_index_seconds_total Time spent publishing indexes.");
        text.AppendLine("# TYPE krait_index_seconds_total counter");
        text.AppendLine(CultureInfo.InvariantCulture, $"krait_index_seconds_total {Interlocked.Read(ref indexMicroseconds) / 1e6}");
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"# HELP {name} {help}");
        text.AppendLine(CultureInfo.InvariantCulture, $"# TYPE {name} counter");
        text.AppendLine(CultureInfo.InvariantCulture, $"{name} {value}");
    }
}
