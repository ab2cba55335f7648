using Krait.Server.Home;

namespace Krait.Server.Tests.ScaleOut;

/// <summary>One PostgreSQL and one S3-compatible server for all the scale-out tests, each started the first time a test needs it.</summary>
public sealed class ScaleOutServices : IDisposable
{
    private readonly Lazy<PostgresServer> postgres = new(() => new PostgresServer());
    private readonly Lazy<S3Server> s3 = new(() => new S3Server());

    public PostgresServer Postgres => postgres.Value;

    public S3Server S3 => s3.Value;

    /// <summary>The settings of a new repository that several instances can share: a database of its own, and a prefix of its own in the bucket.</summary>
    public ServerSettings SharedRepository() => new() { Database = Postgres.NewDatabase(), Storage = S3.StorageUrl(Guid.NewGuid().ToString("N")) };

    public void Dispose()
    {
        if (postgres.IsValueCreated)
        {
            postgres.Value.Dispose();
        }

        if (s3.IsValueCreated)
        {
            s3.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ScaleOutGroup : ICollectionFixture<ScaleOutServices>
{
    public const string Name = "scale-out";
}
