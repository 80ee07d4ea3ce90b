using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Shoal.Metainfo;

namespace Shoal.Storage;

public sealed partial class FileStorage
{
    private const int MoveChunk = 1024 * 1024;

    // Which files the user skipped, and which of those keep their bytes in the part file: a skipped file that
    // is on disk (it was wanted once) keeps them in itself. Changed only under the write lock, which every
    // read and write of data holds for reading, so no transfer runs while bytes move between files.
    private readonly bool[] _skipped;
    private readonly bool[] _inPartFile;
    private readonly ReaderWriterLockSlim _routing = new();

    /// <summary>Where the bytes of skipped files that share pieces with wanted ones are kept (as libtorrent's part file).</summary>
    public string? PartFilePath { get; }

    /// <summary>The slot of <see cref="_files"/> that holds the part file.</summary>
    private int PartSlot => _paths.Length;

    /// <summary>
    /// Takes the user's choice of files (indexed as the torrent's file list). A skipped file not on disk is not
    /// created; the bytes of it that arrive are kept in the part file. A file wanted again gets its bytes back
    /// from the part file, and the part file is deleted once no file keeps bytes in it.
    /// </summary>
    public void SetPriorities(IReadOnlyList<FilePriority> priorities)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FilePriorities.Validate(_torrent, priorities);
        if (PartFilePath is null && FilePriorities.SkipsContent(_torrent, priorities))
        {
            throw new InvalidOperationException($"the files of '{_torrent.Name}' have no part file, so none can be skipped");
        }

        _routing.EnterWriteLock();
        try
        {
            for (int i = 0; i < _paths.Length; i++)
            {
                if (_torrent.Files[i].IsPadding)
                {
                    continue;
                }

                _skipped[i] = priorities[i] == FilePriority.Skip;
                if (_skipped[i] && !_inPartFile[i])
                {
                    _inPartFile[i] = GetForRead(i).Handle is null;
                }
                else if (!_skipped[i] && _inPartFile[i])
                {
                    MoveOutOfPartFile(i);
                    _inPartFile[i] = false;
                }
            }

            if (!_inPartFile.Any(inPart => inPart))
            {
                DeletePartFile();
            }
        }
        finally
        {
            _routing.ExitWriteLock();
        }
    }

    private string SlotPath(int slot) => slot == PartSlot ? PartFilePath! : _paths[slot];

    private long SlotLength(int slot) => slot == PartSlot ? _map.Length : _torrent.Files[slot].Length;

    /// <summary>Where a segment's bytes are: in its own file, or in the part file at their torrent offset.</summary>
    private (int Slot, long Position) Locate(ContentMap.Segment segment) =>
        _inPartFile[segment.FileIndex] ? (PartSlot, segment.AddressOffset) : (segment.FileIndex, segment.FileOffset);

    /// <summary>Copies the file's bytes from the part file into the file, which is created; parts never written are left as holes.</summary>
    private void MoveOutOfPartFile(int fileIndex)
    {
        FileEntry file = _torrent.Files[fileIndex];
        if (Access == StorageAccess.ReadOnly)
        {
            return;
        }

        // Created as Allocate would have, whether or not the part file holds any of its bytes.
        SafeFileHandle target = OpenForWrite(fileIndex);
        if (GetForRead(PartSlot) is not { Handle: { } part } partFile)
        {
            return;
        }

        byte[] chunk = ArrayPool<byte>.Shared.Rent(MoveChunk);
        try
        {
            for (long at = file.Offset; at < Math.Min(file.EndOffset, partFile.Length); at += MoveChunk)
            {
                int length = (int)Math.Min(MoveChunk, Math.Min(file.EndOffset, partFile.Length) - at);
                if (!SparseFiles.MayHoldData(part, at, length))
                {
                    continue;
                }

                Span<byte> bytes = chunk.AsSpan(0, length);
                ReadFile(PartSlot, at, bytes);
                if (bytes.ContainsAnyExcept((byte)0))
                {
                    RandomAccess.Write(target, bytes, at - file.Offset);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("cannot move skipped bytes into", fileIndex, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private void DeletePartFile()
    {
        if (PartFilePath is null || Access == StorageAccess.ReadOnly)
        {
            return;
        }

        lock (_lock)
        {
            _files[PartSlot]?.Handle?.Dispose();
            _files[PartSlot] = null;
            if (File.Exists(PartFilePath))
            {
                File.Delete(PartFilePath);
            }
        }
    }
}
