using Krait.Server.Storage;
using Krait.Server.Uploads;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Krait.Server.Http;

/// <summary>
/// The three upload routes clients send to, each streamed (never buffered whole):
/// quetz's <c>POST /api/channels/{channel}/upload/{filename}?sha256=&amp;force=</c> with the archive as the body
/// (<c>rattler-build upload quetz</c>, <c>krait upload</c>); quetz's multipart <c>POST /api/channels/{channel}/files/</c>
/// with form field <c>files</c>; prefix.dev's <c>POST /api/v1/upload/{channel}</c> whose multipart part <c>file</c>
/// carries <c>X-File-Name</c> and <c>X-File-SHA256</c> (<c>pixi upload</c>, <c>rattler-build upload prefix</c>).
/// <c>?label=</c> chooses the label (default <c>main</c>).
/// </summary>
public static class UploadApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/channels/{channel}/upload/{filename}", async (HttpContext context, string channel, string filename, UploadService uploads) =>
        {
            var query = context.Request.Query;
            var uploaded = await uploads.AcceptAsync(Identity.Of(context), channel, filename, context.Request.Body, Text(query["sha256"]), Flag(query["force"]), Label(context), context.RequestAborted).ConfigureAwait(false);
            return Results.Json(Describe(uploaded), statusCode: 201);
        });

        app.MapPost("/api/channels/{channel}/files", (HttpContext context, string channel, UploadService uploads) =>
            Multipart(context, channel, uploads, "files", section => null));

        app.MapPost("/api/v1/upload/{channel}", (HttpContext context, string channel, UploadService uploads) =>
            Multipart(context, channel, uploads, "file", section => section.Headers!.TryGetValue("X-File-SHA256", out var sha) ? sha.ToString() : null));
    }

    private static async Task<IResult> Multipart(HttpContext context, string channel, UploadService uploads, string fieldName, Func<MultipartSection, string?> sha256Of)
    {
        uploads.WritableChannel(Identity.Of(context), channel, UploadService.AnyPackage);
        var boundary = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary) || !type!.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest("send the package as multipart/form-data");
        }

        var force = Flag(context.Request.Query["force"]);
        var label = Label(context);
        var reader = new MultipartReader(boundary, context.Request.Body);
        var accepted = new List<object>();
        while (await reader.ReadNextSectionAsync(context.RequestAborted).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (name == "force" && !disposition.IsFileDisposition())
            {
                force |= Flag(await section.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false));
                continue;
            }

            if (name != fieldName || !disposition.IsFileDisposition())
            {
                continue;
            }

            var fileName = section.Headers!.TryGetValue("X-File-Name", out var headerName) ? headerName.ToString() : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
            var uploaded = await uploads.AcceptAsync(Identity.Of(context), channel, Path.GetFileName(fileName ?? string.Empty) == fileName ? fileName! : string.Empty, section.Body, sha256Of(section), force, label, context.RequestAborted).ConfigureAwait(false);
            accepted.Add(Describe(uploaded));
        }

        return accepted.Count == 0
            ? throw ApiException.BadRequest($"the form has no file in the field '{fieldName}'")
            : Results.Json(accepted.Count == 1 && fieldName == "file" ? accepted[0] : accepted, statusCode: 201);
    }

    private static object Describe(UploadedFile file) => new { channel = file.Channel, subdir = file.Subdir, filename = file.Filename, label = file.Label, sha256 = file.Sha256, size = file.Size };

    private static string Label(HttpContext context) => Text(context.Request.Query["label"]) ?? ServerNames.MainLabel;

    private static string? Text(Microsoft.Extensions.Primitives.StringValues value) => value.Count > 0 && value[0] is { Length: > 0 } text ? text : null;

    private static bool Flag(Microsoft.Extensions.Primitives.StringValues value) => Text(value) is { } text && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text == "1");
}
