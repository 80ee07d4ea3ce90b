using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;
using Shoal.Metainfo;

namespace Shoal.Storage;

/// <summary>
/// One torrent's pieces in its files on disk. Files are opened on first use and kept open until
/// <see cref="Dispose"/>; with <see cref="StorageAccess.ReadWrite"/> they are created on first write (or by
/// <see cref="Allocate"/>) as sparse files of their final length. Parts of files that are not on disk read
/// as zeros. Skipped files are not created: the bytes of theirs that arrive with pieces shared with wanted
/// files are kept in one sparse part file at their torrent offsets (<see cref="SetPriorities"/>). Safe for
/// concurrent calls on distinct ranges.
/// </summary>
public sealed partial class FileStorage : IPieceStorage
{
    private const FileShare Sharing = FileShare.ReadWrite | FileShare.Delete;

    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_gather;

    private readonly Torrent _torrent;
    private readonly string[] _paths;
    private readonly ContentMap _map;

    // One per torrent file, then the part file's; null until the file is first looked at. Replaced, never mutated, under _lock.
    private readonly OpenFile?[] _files;
    private readonly Lock _lock = new();
    private volatile bool _disposed;

    /// <param name="torrent">The torrent whose pieces are stored.</param>
    /// <param name="filePaths">The absolute path of each of <paramref name="torrent"/>'s files (padding entries are ignored).</param>
    /// <param name="access">Whether files may be created and written.</param>
    /// <param name="partFilePath">Where the bytes of skipped files go; null when no file can be skipped.</param>
    public FileStorage(Torrent torrent, IReadOnlyList<string> filePaths, StorageAccess access, string? partFilePath = null)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(filePaths);
        if (filePaths.Count != torrent.Files.Count)
        {
            throw new ArgumentException($"{filePaths.Count} paths for a torrent of {torrent.Files.Count} files", nameof(filePaths));
        }

        _torrent = torrent;
        _paths = new string[filePaths.Count];
        for (int i = 0; i < _paths.Length; i++)
        {
            _paths[i] = torrent.Files[i].IsPadding ? "" : Path.GetFullPath(filePaths[i]);
        }

        _map = new ContentMap(torrent);
        _files = new OpenFile?[_paths.Length + 1];
        _direct = new SafeFileHandle?[_paths.Length];
        _directTried = new bool[_paths.Length];
        _skipped = new bool[_paths.Length];
        _inPartFile = new bool[_paths.Length];
        PartFilePath = partFilePath is null ? null : Path.GetFullPath(partFilePath);
        Access = access;
    }

    public StorageAccess Access { get; }

    /// <summary>Where each of the torrent's files is stored (empty for padding files).</summary>
    public IReadOnlyList<string> FilePaths => _paths;

    public void Read(long offset, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _routing.EnterReadLock();
        try
        {
            foreach (ContentMap.Segment segment in _map.Segments(offset, destination.Length))
            {
                Span<byte> part = destination.Slice((int)(segment.AddressOffset - offset), segment.Length);
                if (segment.IsGap)
                {
                    part.Clear();
                }
                else
                {
                    (int slot, long position) = Locate(segment);
                    ReadFile(slot, position, part);
                }
            }
        }
        finally
        {
            _routing.ExitReadLock();
        }
    }

    public void Write(long offset, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Access == StorageAccess.ReadOnly)
        {
            throw new InvalidOperationException($"the files of '{_torrent.Name}' are open read-only");
        }

        long total = 0;
        for (int i = 0; i < buffers.Count; i++)
        {
            total += buffers[i].Length;
        }

        _routing.EnterReadLock();
        try
        {
            var cursor = new BufferCursor(buffers);
            foreach (ContentMap.Segment segment in _map.Segments(offset, total))
            {
                if (segment.IsGap)
                {
                    cursor.Skip(segment.Length);
                    continue;
                }

                (int slot, long position) = Locate(segment);
                WriteSegment(slot, position, segment.Length == total ? buffers : null, ref cursor, segment.Length);
            }
        }
        finally
        {
            _routing.ExitReadLock();
        }
    }

    /// <summary>Writes <paramref name="length"/> bytes: all of <paramref name="whole"/> when given, else the cursor's next ones.</summary>
    private void WriteSegment(int slot, long position, IReadOnlyList<ReadOnlyMemory<byte>>? whole, ref BufferCursor cursor, int length)
    {
        SafeFileHandle handle = OpenForWrite(slot);
        List<ReadOnlyMemory<byte>>? gathered = null;
        if (whole is null)
        {
            gathered = t_gather ??= [];
            cursor.Take(length, gathered);
        }

        IReadOnlyList<ReadOnlyMemory<byte>> slices = whole ?? gathered!;
        try
        {
            if (DirectWrites.IsAligned(position, length) && DirectHandle(slot) is { } direct && TryWriteDirect(direct, slices, position))
            {
                return;
            }

            if (slices is [var single])
            {
                RandomAccess.Write(handle, single.Span, position);
            }
            else
            {
                RandomAccess.Write(handle, slices, position);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("cannot write", slot, e);
        }
        finally
        {
            gathered?.Clear();
        }

        WriteBack.Shared?.Start(handle, position, length);
    }

    /// <summary>Creates every file of the torrent (empty ones too) at its final length, sparse, but those skipped and not on disk.</summary>
    public void Allocate()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Access == StorageAccess.ReadOnly)
        {
            throw new InvalidOperationException($"the files of '{_torrent.Name}' are open read-only");
        }

        for (int i = 0; i < _paths.Length; i++)
        {
            FileEntry file = _torrent.Files[i];
            if (file.IsPadding || _inPartFile[i] || (_skipped[i] && GetForRead(i).Handle is null))
            {
                continue;
            }

            if (file.Length > 0)
            {
                OpenForWrite(i);
                continue;
            }

            try
            {
                CreateFolderFor(i);
                File.OpenHandle(_paths[i], FileMode.OpenOrCreate, FileAccess.ReadWrite, Sharing).Dispose();
                ApplyAttributes(i);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Failure("cannot create", i, e);
            }
        }
    }

    /// <summary>
    /// Whether every content byte of the range lies inside a file on disk. Ranges that are not would read
    /// partly as zeros, so the pieces over them are known to be missing without hashing.
    /// </summary>
    public bool IsOnDisk(long offset, long length) =>
        !AnyContent(offset, length, static (file, position, length) => file.Handle is null || file.Length < position + length);

    /// <summary>Whether <paramref name="test"/> holds for any content segment of the range, given the file it lies in (as opened) and where in it.</summary>
    private bool AnyContent(long offset, long length, Func<OpenFile, long, int, bool> test)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _routing.EnterReadLock();
        try
        {
            foreach (ContentMap.Segment segment in _map.Segments(offset, length))
            {
                if (segment.IsGap)
                {
                    continue;
                }

                (int slot, long position) = Locate(segment);
                if (test(GetForRead(slot), position, segment.Length))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            _routing.ExitReadLock();
        }
    }

    /// <summary>Writes what the operating system still holds in memory to the disk.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Access == StorageAccess.ReadOnly)
        {
            return;
        }

        for (int i = 0; i < _files.Length; i++)
        {
            if (Volatile.Read(ref _files[i])?.Handle is { } handle)
            {
                try
                {
                    RandomAccess.FlushToDisk(handle);
                }
                catch (IOException e)
                {
                    throw Failure("cannot flush", i, e);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (OpenFile? file in _files)
            {
                file?.Handle?.Dispose();
            }

            foreach (SafeFileHandle? direct in _direct)
            {
                direct?.Dispose();
            }
        }

        _routing.Dispose();
    }

    private void ReadFile(int fileIndex, long fileOffset, Span<byte> destination)
    {
        OpenFile file = GetForRead(fileIndex);
        int filled = 0;
        if (file.Handle is not null)
        {
            try
            {
                while (filled < destination.Length)
                {
                    int read = RandomAccess.Read(file.Handle, destination[filled..], fileOffset + filled);
                    if (read == 0)
                    {
                        break;
                    }

                    filled += read;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Failure("cannot read", fileIndex, e);
            }
        }

        destination[filled..].Clear();
    }

    private OpenFile GetForRead(int fileIndex)
    {
        OpenFile? file = Volatile.Read(ref _files[fileIndex]);
        if (file is not null)
        {
            return file;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            file = _files[fileIndex];
            if (file is null)
            {
                file = OpenExisting(fileIndex);
                Volatile.Write(ref _files[fileIndex], file);
            }

            return file;
        }
    }

    private SafeFileHandle OpenForWrite(int fileIndex)
    {
        long length = SlotLength(fileIndex);
        OpenFile? file = Volatile.Read(ref _files[fileIndex]);
        if (file is { Handle: { } ready } && file.Length >= length)
        {
            return ready;
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            file = _files[fileIndex] ?? OpenExisting(fileIndex);
            OpenFile known = file;
            SafeFileHandle? created = null;
            try
            {
                if (file.Handle is null)
                {
                    CreateFolderFor(fileIndex);
                    created = File.OpenHandle(SlotPath(fileIndex), FileMode.OpenOrCreate, FileAccess.ReadWrite, Sharing);
                    file = new OpenFile(created, RandomAccess.GetLength(created));
                    ApplyAttributes(fileIndex);
                }

                // Sparse: ftruncate reserves no blocks, so a download never writes zeros it will overwrite.
                if (file.Length < length)
                {
                    RandomAccess.SetLength(file.Handle!, length);
                    file = file with { Length = length };
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                created?.Dispose();
                Volatile.Write(ref _files[fileIndex], known);
                throw Failure("cannot create", fileIndex, e);
            }

            Volatile.Write(ref _files[fileIndex], file);
            return file.Handle!;
        }
    }

    /// <summary>
    /// BEP 47 <c>x</c>: whoever may read the file may run it (the umask chose who may read). Hidden (<c>h</c>) has no
    /// meaning here beyond the name, and symlinks (<c>l</c>) are written as the plain files the torrent describes.
    /// </summary>
    private void ApplyAttributes(int fileIndex)
    {
        if (fileIndex == PartSlot || !_torrent.Files[fileIndex].IsExecutable || OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        UnixFileMode mode = File.GetUnixFileMode(_paths[fileIndex]);
        File.SetUnixFileMode(_paths[fileIndex], mode | (UnixFileMode)((int)(mode & Readable) >> 2));
    }

    // A missing file is remembered as such: reads of it are zeros until this storage creates it.
    private OpenFile OpenExisting(int fileIndex)
    {
        FileAccess access = Access == StorageAccess.ReadWrite ? FileAccess.ReadWrite : FileAccess.Read;
        try
        {
            SafeFileHandle handle = File.OpenHandle(SlotPath(fileIndex), FileMode.Open, access, Sharing);
            try
            {
                return new OpenFile(handle, RandomAccess.GetLength(handle));
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return OpenFile.Missing;
        }
        catch (UnauthorizedAccessException e) when (Directory.Exists(SlotPath(fileIndex)))
        {
            throw new StorageException($"cannot open '{SlotPath(fileIndex)}': it is a folder, not a file", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("cannot open", fileIndex, e);
        }
    }

    private void CreateFolderFor(int fileIndex)
    {
        if (Path.GetDirectoryName(SlotPath(fileIndex)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
    }

    private StorageException Failure(string what, int fileIndex, Exception e)
    {
        // .NET appends " : 'path'" to messages made from an errno, naming what failed: the file, or a folder
        // on the way to it, which is then the one to name.
        Match named = ErrnoPath().Match(e.Message);
        string path = named.Success ? named.Groups["path"].Value : SlotPath(fileIndex);
        string reason = named.Success ? e.Message[..named.Index] : e.Message;
        return new StorageException($"{what} '{path}': {reason}", e);
    }

    [GeneratedRegex(" : '(?<path>[^']*)'$")]
    private static partial Regex ErrnoPath();

    /// <summary>An open file and its length as this storage knows it, or (null handle) a file that is not on disk.</summary>
    private sealed record OpenFile(SafeFileHandle? Handle, long Length)
    {
        public static OpenFile Missing { get; } = new(null, 0);
    }

    /// <summary>Walks a list of buffers as one run of bytes.</summary>
    private struct BufferCursor(IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        private int _index;
        private int _offset;

        public void Skip(int count) => Take(count, null);

        public void Take(int count, List<ReadOnlyMemory<byte>>? slices)
        {
            while (count > 0)
            {
                ReadOnlyMemory<byte> buffer = buffers[_index];
                int take = Math.Min(count, buffer.Length - _offset);
                slices?.Add(buffer.Slice(_offset, take));
                count -= take;
                _offset += take;
                if (_offset == buffer.Length)
                {
                    _index++;
                    _offset = 0;
                }
            }
        }
    }
}
