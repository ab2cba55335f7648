using System.IO.MemoryMappedFiles;
using Krait.Files;

namespace Krait.Repodata.Parsing;

/// <summary>
/// A read-only memory map of a whole file, seen as one span: parsing a 300 MB repodata then costs no copy
/// and the lazy loader touches only the pages it searches.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile? map;
    private readonly MemoryMappedViewAccessor? view;
    private readonly byte* pointer;
    private readonly long length;

    private MappedFile(MemoryMappedFile? map, MemoryMappedViewAccessor? view, long length, DateTime lastWriteUtc)
    {
        this.map = map;
        this.view = view;
        this.length = length;
        LastWriteUtc = lastWriteUtc;
        if (view is not null)
        {
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            pointer = start + view.PointerOffset;
        }
    }

    public long Length => length;

    /// <summary>When the mapped file was last written, read from the open handle (the path may name another file by now).</summary>
    public DateTime LastWriteUtc { get; }

    public ReadOnlySpan<byte> Span => length == 0 ? [] : new ReadOnlySpan<byte>(pointer, checked((int)length));

    public static MappedFile Open(string path)
    {
        // A fifo would block the open for ever, a device map nothing sensible: only regular files are repodata.
        try
        {
            FileKinds.RequireRegularFile(path, "the repodata");
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new RepodataFormatException(path, 0, "is not a regular file (a fifo, a device or a folder); refusing to read it", e);
        }

        // The map takes ownership of the stream (leaveOpen: false), so the handle lives as long as the view.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.None);
        try
        {
            var length = stream.Length;
            var lastWriteUtc = File.GetLastWriteTimeUtc(stream.SafeFileHandle);
            if (length == 0)
            {
                stream.Dispose();
                return new MappedFile(null, null, 0, lastWriteUtc);
            }

            if (length > int.MaxValue)
            {
                throw new RepodataFormatException(path, int.MaxValue, $"the file is {length} bytes; Krait reads repodata of up to 2 GiB");
            }

            var map = MemoryMappedFile.CreateFromFile(stream, mapName: null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            return new MappedFile(map, view, length, lastWriteUtc);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (view is not null)
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
        }

        map?.Dispose();
    }
}
