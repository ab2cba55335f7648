using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Krait.TestSupport;

namespace Krait.Server.Tests;

/// <summary>Uploading is the trust boundary: real packages enter, damaged, hostile, mislabelled or unauthorised ones do not, and each refusal says why.</summary>
public sealed class UploadTests : IAsyncLifetime
{
    private RunningServer server = null!;

    private static string Recipe(string file) => Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", file);

    private static string Clobber(string file) => Path.Combine(RepoPaths.Data, "packages", "clobber", file);

    public async Task InitializeAsync()
    {
        server = RunningServer.Start();
        await server.CreateChannel("demo");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task An_uploaded_package_is_listed_with_the_record_conda_index_gives_it()
    {
        foreach (var archive in new[] { Recipe("versioned-1.0-0.conda"), Recipe("versioned-2.0-0.conda"), Clobber("clobber-1-0.1.0-h4616a5c_0.tar.bz2") })
        {
            using var response = await server.Upload("demo", archive);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        var served = JsonNode.Parse(await server.Client.GetStringAsync("demo/noarch/repodata.json"))!;
        var original = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch", "repodata.json")))!;
        foreach (var file in new[] { "versioned-1.0-0.conda", "versioned-2.0-0.conda" })
        {
            Assert.True(JsonNode.DeepEquals(original["packages.conda"]![file], served["packages.conda"]![file]), served["packages.conda"]![file]!.ToJsonString());
        }

        Assert.Equal("clobber-1", (string?)served["packages"]!["clobber-1-0.1.0-h4616a5c_0.tar.bz2"]!["name"]);
        var channelData = JsonNode.Parse(await server.Client.GetStringAsync("demo/channeldata.json"))!;
        Assert.Equal("2.0", (string?)channelData["packages"]!["versioned"]!["version"]);

        var versions = JsonNode.Parse(await server.Client.GetStringAsync("api/channels/demo/packages/versioned/versions"))!.AsArray();
        Assert.Equal(2, versions.Count);
        Assert.All(versions, v => Assert.Equal("admin", (string?)v!["uploader"]!["name"]));
    }

    [Fact]
    public async Task Refusals_have_quetzs_statuses_and_say_why()
    {
        var archive = Recipe("versioned-2.0-0.conda");
        await Expect(await server.Upload("demo", archive, sha256: new string('0', 64)), HttpStatusCode.NotAcceptable, "sha256");
        await Expect(await server.Upload("demo", archive, client: server.Client), HttpStatusCode.Unauthorized, "API key");
        await Expect(await server.Upload("nochannel", archive), HttpStatusCode.NotFound, "no channel");
        await Expect(await server.Upload("demo", archive, fileName: "zlib.conda"), HttpStatusCode.BadRequest, "not a conda package file name");
        await Expect(await server.Upload("demo", archive, fileName: "numpy-1.0-0.conda"), HttpStatusCode.BadRequest, "versioned");

        // A real archive whose symlinks were stripped of their targets: an install refuses it, so does the upload.
        await Expect(await server.Upload("demo", Path.Combine(RepoPaths.Channel("zlib-formats"), "linux-64", "zlib-1.2.11-h7b6447c_3.conda")), HttpStatusCode.BadRequest, "links to nothing");

        using var garbage = new TempFolder("garbage").Create();
        var text = garbage.Combine("broken-1.0-0.conda");
        await File.WriteAllTextAsync(text, "not a package at all");
        await Expect(await server.Upload("demo", text), HttpStatusCode.BadRequest, "broken-1.0-0.conda");

        using (var first = await server.Upload("demo", archive))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        await Expect(await server.Upload("demo", archive), HttpStatusCode.Conflict, "exists");
        using (var forced = await server.Upload("demo", archive, force: true))
        {
            Assert.Equal(HttpStatusCode.Created, forced.StatusCode);
        }

        // Nothing refused was kept: repodata lists the one accepted file, and no temporary file is left.
        var repodata = JsonNode.Parse(await server.Client.GetStringAsync("demo/noarch/repodata.json"))!;
        Assert.Equal(["versioned-2.0-0.conda"], repodata["packages.conda"]!.AsObject().Select(p => p.Key));
        Assert.Empty(repodata["packages"]!.AsObject());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("demo/linux-64/repodata.json")).StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(server.HomePath, "storage", "tmp")));
    }

    [Fact]
    public async Task A_package_larger_than_the_limit_is_refused_with_413()
    {
        await using var small = RunningServer.Start(home => File.WriteAllText(Path.Combine(home, "server.json"), """{"max_upload_bytes": 1000}"""));
        await small.CreateChannel("demo");
        await Expect(await small.Upload("demo", Recipe("versioned-2.0-0.conda")), HttpStatusCode.RequestEntityTooLarge, "max_upload_bytes");
    }

    [Fact]
    public async Task The_multipart_forms_of_quetz_and_prefix_dev_are_accepted()
    {
        var conda = Recipe("versioned-2.0-0.conda");
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(conda)), "files", Path.GetFileName(conda));
            using var response = await server.Admin.PostAsync("api/channels/demo/files/", form);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        // pixi upload / rattler-build upload prefix: the part carries X-File-Name and X-File-SHA256, the key is a bearer token.
        var bz2 = Clobber("clobber-1-0.1.0-h4616a5c_0.tar.bz2");
        var bytes = await File.ReadAllBytesAsync(bz2);
        using (var form = new MultipartFormDataContent())
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            part.Headers.Add("X-File-Name", Path.GetFileName(bz2));
            part.Headers.Add("X-File-SHA256", Convert.ToHexStringLower(SHA256.HashData(bytes)));
            form.Add(part, "file", Path.GetFileName(bz2));
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/upload/demo") { Content = form };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminKey);
            using var response = await server.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        }

        var repodata = JsonNode.Parse(await server.Client.GetStringAsync("demo/noarch/repodata.json"))!;
        Assert.NotNull(repodata["packages"]!["clobber-1-0.1.0-h4616a5c_0.tar.bz2"]);
        Assert.NotNull(repodata["packages.conda"]!["versioned-2.0-0.conda"]);
    }

    [Fact]
    public async Task A_deleted_file_leaves_the_index_and_storage()
    {
        using (var uploaded = await server.Upload("demo", Recipe("versioned-2.0-0.conda")))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("demo/noarch/versioned-2.0-0.conda")).StatusCode);
        using var anonymous = await server.Client.DeleteAsync("api/channels/demo/packages/versioned/versions/noarch/versioned-2.0-0.conda");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var deleted = await server.Admin.DeleteAsync("api/channels/demo/packages/versioned/versions/noarch/versioned-2.0-0.conda");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var repodata = JsonNode.Parse(await server.Client.GetStringAsync("demo/noarch/repodata.json"))!;
        Assert.Empty(repodata["packages.conda"]!.AsObject());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("demo/noarch/versioned-2.0-0.conda")).StatusCode);
    }

    [Fact]
    public async Task Ten_uploaders_and_fifty_downloaders_at_once_leave_repodata_listing_exactly_the_accepted_files()
    {
        var archives = Directory.EnumerateFiles(Path.Combine(RepoPaths.Channel("conda-test-recipes"), "noarch"), "*.conda").Take(20).ToList();
        var uploads = archives.Select(async (archive, i) =>
        {
            await Task.Yield();
            using var response = await server.Upload("demo", archive);
            return (Path.GetFileName(archive), response.StatusCode);
        });
        var downloads = Enumerable.Range(0, 50).Select(async _ =>
        {
            await Task.Yield();
            using var response = await server.Client.GetAsync("demo/noarch/repodata.json");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).Dispose(); // never half a file
        });
        var results = await Task.WhenAll(uploads.Take(10));
        var more = await Task.WhenAll(uploads.Skip(10));
        await Task.WhenAll(downloads);
        var accepted = results.Concat(more).Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Item1).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(archives.Count, accepted.Count);
        var repodata = JsonNode.Parse(await server.Client.GetStringAsync("demo/noarch/repodata.json"))!;
        Assert.Equal(accepted, repodata["packages.conda"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    private static async Task Expect(HttpResponseMessage response, HttpStatusCode status, string inDetail)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            Assert.Contains(inDetail, json.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }
}
