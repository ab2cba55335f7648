using System.Text;
using Krait.Packages;
using Krait.TestSupport;

namespace Krait.Install.Tests;

public sealed class PrefixTextTests : IDisposable
{
    private readonly TempFolder scratch = new("text");

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_shebang_too_long_for_the_kernel_or_with_a_space_goes_through_env()
    {
        var longPrefix = "/envs/" + new string('p', 130);
        var script = Encoding.UTF8.GetBytes($"#!{longPrefix}/bin/python3.12 -E\nprint('hi')\n");
        Assert.Equal("#!/usr/bin/env python3.12 -E\nprint('hi')\n", Encoding.UTF8.GetString(PrefixReplacer.FixShebang(script, longPrefix)));

        var spaced = "/home/me/my envs/demo";
        Assert.Equal("#!/usr/bin/env perl\n", Encoding.UTF8.GetString(PrefixReplacer.FixShebang(Encoding.UTF8.GetBytes($"#!{spaced}/bin/perl\n"), spaced)));

        var fine = Encoding.UTF8.GetBytes("#!/envs/demo/bin/python\n");
        Assert.Same(fine, PrefixReplacer.FixShebang(fine, "/envs/demo"));
        var foreign = Encoding.UTF8.GetBytes($"#!/usr/bin/{new string('x', 140)}\n");
        Assert.Same(foreign, PrefixReplacer.FixShebang(foreign, longPrefix));
    }

    [Fact]
    public void Legacy_has_prefix_and_no_link_describe_an_old_package()
    {
        var package = Path.Combine(scratch, "old");
        Directory.CreateDirectory(Path.Combine(package, "info"));
        Directory.CreateDirectory(Path.Combine(package, "bin"));
        File.WriteAllLines(Path.Combine(package, "info", "files"), ["bin/tool", "bin/other", "lib/my lib.so", "share/data.txt"]);
        File.WriteAllLines(Path.Combine(package, "info", "has_prefix"), [
            "bin/tool",
            "/opt/build/placeholder_long_enough binary bin/other",
            "\"/opt/with space\" text \"lib/my lib.so\"",
        ]);
        File.WriteAllLines(Path.Combine(package, "info", "no_link"), ["share/data.txt"]);

        var entries = PackageContents.ReadEntries(package).ToDictionary(e => e.Path);
        Assert.Equal((PackageContents.DefaultPlaceholder, "text"), (entries["bin/tool"].PrefixPlaceholder, entries["bin/tool"].FileMode));
        Assert.Equal(("/opt/build/placeholder_long_enough", "binary"), (entries["bin/other"].PrefixPlaceholder, entries["bin/other"].FileMode));
        Assert.Equal(("/opt/with space", "text"), (entries["lib/my lib.so"].PrefixPlaceholder, entries["lib/my lib.so"].FileMode));
        Assert.True(entries["share/data.txt"].NoLink);
        Assert.Null(entries["share/data.txt"].PrefixPlaceholder);

        File.WriteAllLines(Path.Combine(package, "info", "has_prefix"), ["a b"]);
        Assert.Throws<InvalidDataException>(() => PackageContents.ReadEntries(package));
    }
}
