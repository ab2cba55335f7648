using System.Security.Cryptography;
using Krait.TestSupport;

namespace Krait.Files.Tests;

/// <summary>The one rule archives are checked by, on a real archive of the shared channels.</summary>
public sealed class ExpectedDigestTests : IDisposable
{
    private readonly TempFolder scratch = new TempFolder("digest").Create();
    private readonly string archive = Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", "dependency-1.0-0.conda");

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void The_digest_is_the_files_size_md5_and_sha256()
    {
        var bytes = File.ReadAllBytes(archive);
        var digest = FileDigest.Of(archive);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(bytes);
        Assert.Equal(new FileDigest(bytes.Length, Convert.ToHexStringLower(md5.GetHashAndReset()), Convert.ToHexStringLower(SHA256.HashData(bytes))), digest);
        Assert.Equal(digest.Sha256, FileHash.Hex(archive, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Size_comes_first_then_sha256_and_md5_only_without_sha256()
    {
        var digest = FileDigest.Of(archive);
        new ExpectedDigest(digest.Size, digest.Sha256, digest.Md5).CheckFile(archive);

        var wrongSize = Assert.Throws<DigestMismatchException>(() => new ExpectedDigest(digest.Size + 1, "not even hex", null).CheckFile(archive));
        Assert.Contains($"is {digest.Size} bytes, not the {digest.Size + 1} the channel lists", wrongSize.Message, StringComparison.Ordinal);

        // sha256 decides when there is one: a wrong md5 beside a right sha256 is not looked at.
        new ExpectedDigest(null, digest.Sha256, new string('0', 32)).CheckFile(archive);
        var wrongSha = Assert.Throws<DigestMismatchException>(() => new ExpectedDigest(null, new string('0', 64), digest.Md5).CheckFile(archive));
        Assert.Contains($"has sha256 {digest.Sha256}, not the {new string('0', 64)}", wrongSha.Message, StringComparison.Ordinal);
        var wrongMd5 = Assert.Throws<DigestMismatchException>(() => new ExpectedDigest(null, null, new string('0', 32)).CheckFile(archive));
        Assert.Contains($"has md5 {digest.Md5}", wrongMd5.Message, StringComparison.Ordinal);

        // Hashes compare without regard to case, as conda's do.
        new ExpectedDigest(digest.Size, digest.Sha256.ToUpperInvariant(), null).CheckFile(archive);
        Assert.False(new ExpectedDigest(digest.Size, null, null).HasHash);
        Assert.Equal(HashAlgorithmName.MD5, new ExpectedDigest(null, "", digest.Md5).Algorithm);
    }

    [Fact]
    public void A_fifo_is_reported_as_special_without_being_opened()
    {
        var fifo = scratch.Combine("fifo");
        RequiredTool.Find("mkfifo", "apt-get install coreutils");
        using (var process = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            process.WaitForExit();
        }

        Assert.Equal(FileKind.Special, FileKinds.Of(fifo));
        Assert.Throws<IOException>(() => FileKinds.RequireRegularFile(fifo, "the test file"));
        Assert.Equal(FileKind.Missing, FileKinds.Of(scratch.Combine("nothing")));
        Assert.Equal(FileKind.Directory, FileKinds.Of(scratch));
    }
}
