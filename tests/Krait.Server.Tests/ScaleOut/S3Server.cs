using Krait.TestSupport;

namespace Krait.Server.Tests.ScaleOut;

/// <summary>
/// A real S3-compatible server process: s3rver (npm, 3.7.1; installed by .ci/run into artifacts/tools/s3rver), on a
/// free port of 127.0.0.1 with one bucket, <c>krait</c>. Tests keep apart by key prefix (<see cref="StorageUrl"/>).
/// </summary>
public sealed class S3Server : IDisposable
{
    public const string Bucket = "krait";
    private const string Install = "npm install --prefix artifacts/tools/s3rver s3rver@3.7.1";
    private readonly TempFolder folder = new TempFolder("s3rver").Create();
    private readonly ServerProcess server;

    public S3Server()
    {
        var program = Environment.GetEnvironmentVariable("KRAIT_S3RVER") is { Length: > 0 } configured ? configured
            : Path.Combine(RepoPaths.Root, "artifacts", "tools", "s3rver", "node_modules", ".bin", "s3rver");
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"this test needs s3rver (an S3-compatible server), which is not at {program}: {Install} (.ci/run installs it)");
        }

        RequiredTool.Find("node", "apt-get install nodejs");
        Port = FreePorts.Next();
        server = ServerProcess.Start(program, ["--directory", folder.Path, "--address", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--configure-bucket", Bucket, "--no-vhost-buckets", "--silent"]);
        server.WaitUntilServing($"{Endpoint}/{Bucket}", "s3rver");
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The <c>storage</c> setting of a server home keeping its packages under <paramref name="prefix"/> of the bucket (s3rver's fixed keys).</summary>
    public string StorageUrl(string prefix) => $"s3://{Bucket}/{prefix}?endpoint={Uri.EscapeDataString(Endpoint)}&access_key_id=S3RVER&secret_access_key=S3RVER";

    public void Dispose()
    {
        server.Process.Kill(entireProcessTree: true);
        server.Process.WaitForExit();
        server.Process.Dispose();
        folder.Dispose();
    }
}
