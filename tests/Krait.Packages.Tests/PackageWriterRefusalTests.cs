using Krait.TestSupport;
namespace Krait.Packages.Tests;

/// <summary>The writer refuses folders whose archive no careful extractor would accept, and leaves no partial file.</summary>
public sealed class PackageWriterRefusalTests : IDisposable
{
    private readonly TempFolder scratch = new("refusal");

    public void Dispose() => scratch.Dispose();

    private string Layout(params PackageFile[] files)
    {
        var builder = new PackageBuilder("bad", "1", "0");
        foreach (var file in files)
        {
            builder.Add(file);
        }

        var layout = Path.Combine(scratch, "layout-" + Guid.NewGuid().ToString("N"));
        builder.WriteLayout(layout);
        return layout;
    }

    [Theory]
    [InlineData("../../etc/passwd", "which leaves the package")]
    [InlineData("../..", "which leaves the package")]
    [InlineData("/etc/passwd", "must be relative")]
    public void A_symlink_that_leaves_the_package_is_refused(string target, string reason)
    {
        var layout = Layout(PackageFile.Text("lib/real", "x"), PackageFile.Symlink("lib/evil", target));

        foreach (var extension in new[] { ".conda", ".tar.bz2" })
        {
            var output = Path.Combine(scratch, "bad-1-0" + extension);
            var refused = Assert.Throws<PackageLayoutException>(() => PackageWriter.Write(layout, output));

            Assert.Equal("lib/evil", refused.Entry);
            Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(output));
            Assert.False(File.Exists(output + ".partial"));
        }
    }

    [Fact]
    public void A_folder_without_info_index_json_is_not_a_package()
    {
        var folder = Path.Combine(scratch, "plain");
        Directory.CreateDirectory(Path.Combine(folder, "bin"));
        File.WriteAllText(Path.Combine(folder, "bin", "tool"), "x");

        var refused = Assert.Throws<PackageLayoutException>(() => PackageWriter.WriteTarBz2(folder, Path.Combine(scratch, "plain-1-0.tar.bz2")));
        Assert.Contains("info/index.json", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_name_in_neither_format_is_refused()
    {
        var layout = Layout(PackageFile.Text("a", "x"));
        Assert.Throws<ArgumentException>(() => PackageWriter.Write(layout, Path.Combine(scratch, "bad-1-0.zip")));
    }
}
