using Microsoft.Win32.SafeHandles;

namespace Shoal.Metainfo.Creation;

/// <summary>
/// Positional reads of content files for hashing. The last file's handle stays open, so a core
/// walking the pieces of one large file opens it once, not once per piece.
/// </summary>
internal sealed class SourceFileReader : IDisposable
{
    private SourceFile? _file;
    private SafeFileHandle? _handle;

    public void ReadExactly(SourceFile file, long offset, Span<byte> destination)
    {
        try
        {
            SafeFileHandle handle = HandleFor(file);
            while (!destination.IsEmpty)
            {
                int read = RandomAccess.Read(handle, destination, offset);
                if (read == 0)
                {
                    throw new TorrentCreationException($"{file.FullPath} got shorter while it was being hashed");
                }

                destination = destination[read..];
                offset += read;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TorrentCreationException($"cannot read {file.FullPath}: {e.Message}", e);
        }
    }

    public void Dispose() => _handle?.Dispose();

    private SafeFileHandle HandleFor(SourceFile file)
    {
        if (!ReferenceEquals(file, _file))
        {
            _handle?.Dispose();
            (_file, _handle) = (null, null);
            _handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            _file = file;
        }

        return _handle!;
    }
}
