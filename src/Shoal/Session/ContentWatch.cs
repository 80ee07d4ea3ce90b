using Shoal.Metainfo;
using Shoal.Storage;

namespace Shoal.Session;

/// <summary>
/// Notices a complete torrent's files changing under it: a seeder that went on serving an edited file would send
/// data that fails every leecher's check, and they would ban it without a word to its user. The files' sizes and
/// modification times are taken when the torrent is first seen complete and compared every little while.
/// </summary>
internal sealed class ContentWatch(Torrent torrent, IReadOnlyList<string> paths, TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private (long Length, DateTime Written)[]? _seen;
    private DateTimeOffset _due;

    /// <summary>Makes a change to the files of our own (files chosen anew are created), which is then what the files are expected to be.</summary>
    public void Change(Action change)
    {
        lock (_gate)
        {
            change();
            _seen = null;
        }
    }

    /// <summary>Throws a <see cref="StorageException"/> naming the file once one has changed since the torrent was complete.</summary>
    public void Check(bool complete)
    {
        lock (_gate)
        {
            CheckFiles(complete);
        }
    }

    private void CheckFiles(bool complete)
    {
        if (!complete)
        {
            _seen = null;
            return;
        }

        DateTimeOffset now = time.GetUtcNow();
        if (_seen is null)
        {
            _seen = [.. Files().Select(Stat)];
            _due = now + Interval;
            return;
        }

        if (now < _due)
        {
            return;
        }

        _due = now + Interval;
        int index = 0;
        foreach (string path in Files())
        {
            (long length, DateTime written) = Stat(path);
            (long seenLength, DateTime seenWritten) = _seen[index++];
            if (length != seenLength || written != seenWritten)
            {
                string what = length != seenLength ? $"its size went from {seenLength} to {length} bytes" : "it was written to";
                throw new StorageException($"{path} changed on disk after it was verified ({what}): stopped serving it, since peers would get data that fails their checks; restore the file, or recheck the torrent to share what is there now");
            }
        }
    }

    private IEnumerable<string> Files() => paths.Zip(torrent.Files).Where(pair => !pair.Second.IsPadding).Select(pair => pair.First);

    private static (long Length, DateTime Written) Stat(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.Length, file.LastWriteTimeUtc) : (-1, DateTime.MinValue);
    }
}
