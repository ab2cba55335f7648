using Krait.Conda.Records;
using Krait.TestSupport;

namespace Krait.Conda.Tests.Records;

/// <summary>CEP-26's grammar for names, versions, build strings, subdirs and file names: what every reader of records checks before a path is built.</summary>
public sealed class PackageNamingTests
{
    [Theory]
    [InlineData("numpy", true)]
    [InlineData("_libgcc_mutex", true)]
    [InlineData("python-dateutil", true)]
    [InlineData("ca-certificates", true)]
    [InlineData("r.utils", true)]
    [InlineData("Jinja2", true)]
    [InlineData("", false)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("a--b", false)]
    [InlineData("__glibc", false)]
    [InlineData("numpy\n", false)]
    [InlineData("a b", false)]
    public void Names_follow_cep_26(string name, bool valid) => Assert.Equal(valid, PackageNaming.IsValidName(name));

    [Fact]
    public void The_hand_written_name_check_is_ceps_regex_exactly()
    {
        // CEP-26's regex (case-insensitive), with \z for $ (.NET's $ also matches before a final newline).
        var cep = new System.Text.RegularExpressions.Regex(@"^(([a-z0-9])|([a-z0-9_](?!_)))[._-]?([a-z0-9]+(\.|-|_|\z))*\z", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        const string Alphabet = "aZ0_.-/";
        var checkedCount = 0;
        for (var length = 1; length <= 6; length++)
        {
            var digits = new int[length];
            while (true)
            {
                var name = string.Concat(digits.Select(d => Alphabet[d]));
                Assert.True(cep.IsMatch(name) == PackageNaming.IsValidName(name), $"'{name}': the regex says {cep.IsMatch(name)}");
                checkedCount++;
                var position = 0;
                while (position < length && ++digits[position] == Alphabet.Length)
                {
                    digits[position++] = 0;
                }

                if (position == length)
                {
                    break;
                }
            }
        }

        Assert.Equal(137_256, checkedCount);
    }

    [Theory]
    [InlineData("1.2.3", true)]
    [InlineData("2024.1.1+local", true)]
    [InlineData("1!2.0", true)]
    [InlineData("4.0_06Jun17", true)]
    [InlineData("1/..", false)]
    [InlineData("1-2", false)]
    [InlineData("", false)]
    public void Versions_hold_no_separator(string version, bool valid) => Assert.Equal(valid, PackageNaming.IsValidVersion(version));

    [Theory]
    [InlineData("py312h1234567_0", true)]
    [InlineData("cuda12.0+openblas", true)]
    [InlineData("0/../../../outside/buildtrav", false)]
    [InlineData("0 1", false)]
    [InlineData("..", true)]
    public void Build_strings_hold_no_separator(string build, bool valid) => Assert.Equal(valid, PackageNaming.IsValidBuild(build));

    [Theory]
    [InlineData("numpy-1.26.4-py312h1234567_0.conda", "numpy", "1.26.4", "py312h1234567_0", null)]
    [InlineData("python-dateutil-2.9.0-pyhd8ed1ab_0.tar.bz2", "python-dateutil", "2.9.0", "pyhd8ed1ab_0", null)]
    [InlineData("../outside/victimdir.tar.bz2", "victimdir", "1", "0", "is not <name>-<version>-<build>")]
    [InlineData("numpy-1.0-0.conda", "scipy", "1.0", "0", "does not name the package")]
    [InlineData("numpy-1.0-0.zip", "numpy", "1.0", "0", "is not <name>-<version>-<build>")]
    public void A_file_name_is_one_segment_naming_its_record(string fileName, string name, string version, string build, string? problem)
    {
        var found = PackageFileName.Problem(fileName, name, version, build);
        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_record_of_the_shared_channels_but_three_test_records_passes()
    {
        var refused = new List<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Channels, "repodata.json", SearchOption.AllDirectories))
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var section in new[] { "packages", "packages.conda" })
            {
                if (!document.RootElement.TryGetProperty(section, out var records))
                {
                    continue;
                }

                foreach (var record in records.EnumerateObject())
                {
                    var candidate = new PackageRecord
                    {
                        Name = record.Value.GetProperty("name").GetString()!,
                        Version = record.Value.GetProperty("version").GetString()!,
                        Build = record.Value.GetProperty("build").GetString()!,
                        FileName = record.Name,
                        Subdir = record.Value.TryGetProperty("subdir", out var subdir) ? subdir.GetString() : null,
                    };
                    if (PackageNaming.Problem(candidate) is not null)
                    {
                        refused.Add(record.Name);
                    }
                }
            }
        }

        // conda's own solver-test index holds three records whose file names do not name them.
        Assert.Equal(["_dummy_anaconda_impl-1.0-0.tar.bz2", "_dummy_anaconda_impl-2.0-0.tar.bz2", "anaconda-custom-0.tar.bz2"], refused.Order(StringComparer.Ordinal));
    }
}
