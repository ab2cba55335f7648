using System.Text;
using Krait.Conda.Records;

namespace Krait.Conda.Tests.Records;

public sealed class RecordFieldsTests
{
    [Fact]
    public void Every_field_is_found_by_its_key_and_the_keys_are_in_conda_s_order()
    {
        var fields = RecordFields.All.ToArray();
        Assert.Equal(Enum.GetValues<RecordField>(), fields);
        Assert.Equal(RecordFields.Count, fields.Length);
        var keys = fields.Select(RecordFields.Key).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        foreach (var field in fields)
        {
            Assert.True(RecordFields.TryFind(RecordFields.Key(field), out var byText));
            Assert.Equal(field, byText);
            Assert.True(RecordFields.TryFind(Encoding.UTF8.GetBytes(RecordFields.Key(field)), out var byBytes));
            Assert.Equal(field, byBytes);
        }
    }

    [Theory]
    [InlineData("fn")]
    [InlineData("url")]
    [InlineData("Name")]
    [InlineData("names")]
    [InlineData("")]
    [InlineData("build_numbers")]
    [InlineData("python_site_packages_path_and_a_very_long_tail")]
    public void Other_keys_are_no_field(string key)
    {
        Assert.False(RecordFields.TryFind(key, out _));
        Assert.False(RecordFields.TryFind(Encoding.UTF8.GetBytes(key), out _));
    }

    [Fact]
    public void A_builder_loads_every_field_of_a_record_and_builds_it_back()
    {
        var record = new PackageRecord
        {
            Name = "a", Version = "1", Build = "b_2", BuildNumber = 2, FileName = "a-1-b_2.conda", Depends = ["x"], Constrains = ["y <2"],
            TrackFeatures = "t", Features = "f", NoArch = NoArchType.Generic, Timestamp = 1_700_000_000_000, Md5 = "m", Sha256 = "s",
            Size = 3, License = "MIT", LicenseFamily = "MIT", Subdir = "noarch", Platform = "linux", Arch = "x86_64", Purls = ["pkg:x"],
            PythonSitePackagesPath = "lib/site-packages",
        };
        var builder = new PackageRecordBuilder();
        builder.Load(record);
        var rebuilt = builder.Build(record.FileName);
        foreach (var field in RecordFields.All)
        {
            Assert.True(RecordFields.IsPresent(rebuilt, field), $"{RecordFields.Key(field)} is lost");
            switch (RecordFields.Kind(field))
            {
                case RecordFieldKind.Integer:
                    Assert.Equal(RecordFields.Integer(record, field), RecordFields.Integer(rebuilt, field));
                    break;
                case RecordFieldKind.TextList:
                    Assert.Equal(RecordFields.List(record, field), RecordFields.List(rebuilt, field));
                    break;
                case RecordFieldKind.NoArch:
                    Assert.Equal(record.NoArch, rebuilt.NoArch);
                    break;
                default:
                    Assert.Equal(RecordFields.Text(record, field), RecordFields.Text(rebuilt, field));
                    break;
            }
        }
    }

    [Fact]
    public void A_field_written_twice_or_a_negative_size_makes_the_record_doubtful()
    {
        var builder = new PackageRecordBuilder();
        builder.SetText(RecordField.Name, "a");
        builder.SetText(RecordField.Name, "b");
        Assert.Contains("\"name\" is written twice", builder.Problem, StringComparison.Ordinal);

        builder.Reset();
        builder.SetInteger(RecordField.Size, -1);
        Assert.Equal("its size is -1", builder.Problem);

        builder.Reset();
        builder.SetInteger(RecordField.Timestamp, 1_700_000_000);
        Assert.Null(builder.Problem);
        Assert.Equal("name", builder.MissingIdentity);
        builder.SetText(RecordField.Name, "a");
        builder.SetText(RecordField.Version, "1");
        builder.SetText(RecordField.Build, "0");
        Assert.Equal(1_700_000_000_000, builder.Build("a-1-0.conda").Timestamp);
    }
}
