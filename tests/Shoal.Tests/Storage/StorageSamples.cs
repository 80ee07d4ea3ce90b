using Shoal.Metainfo;
using Shoal.Metainfo.Creation;

namespace Shoal.Tests.Storage;

/// <summary>A torrent made by <see cref="TorrentCreator"/>, where its content is, and the content files' bytes back to back.</summary>
internal sealed record StorageSample(Torrent Torrent, string ContentPath, byte[] Content);

internal static class StorageSamples
{
    public const int Block = 16 * 1024;

    /// <summary>
    /// A folder whose files have odd sizes: an empty file, files smaller than a block, a file of 3 blocks
    /// (its v2 tree is 4 leaves wide) and one of several pieces with a short last piece, so pieces span files.
    /// </summary>
    public static Task<StorageSample> FolderAsync(TempFolder folder, TorrentVersion version, long pieceLength = 2 * Block, int seed = 1)
    {
        string root = Path.Combine(folder.Path, "content");
        folder.File("content/a.bin", TempFolder.RandomBytes(70_000, seed));
        folder.File("content/b/empty", []);
        folder.File("content/b/small", TempFolder.RandomBytes(100, seed + 1));
        folder.File("content/big.bin", TempFolder.RandomBytes(300_000, seed + 2));
        folder.File("content/c.dat", TempFolder.RandomBytes(40_000, seed + 3));
        folder.File("content/d/e.bin", TempFolder.RandomBytes(5_000, seed + 4));
        return CreateAsync(root, version, pieceLength);
    }

    public static Task<StorageSample> SingleFileAsync(TempFolder folder, TorrentVersion version, int length, long pieceLength = 2 * Block, int seed = 1)
    {
        string file = folder.File("single.bin", TempFolder.RandomBytes(length, seed));
        return CreateAsync(file, version, pieceLength);
    }

    public static async Task<StorageSample> CreateAsync(string path, TorrentVersion version, long pieceLength)
    {
        var options = new TorrentCreationOptions { Version = version, PieceLength = pieceLength, CreationDate = null };
        Torrent torrent = (await TorrentCreator.CreateAsync(path, options)).Torrent;
        IReadOnlyList<string> paths = Shoal.Storage.FileStorage.PathsForContent(torrent, path);
        byte[] content = [.. torrent.Files.Select((f, i) => (f, i)).Where(e => !e.f.IsPadding).SelectMany(e => File.ReadAllBytes(paths[e.i]))];
        return new StorageSample(torrent, path, content);
    }

    /// <summary>A piece's bytes cut into buffers of <paramref name="chunk"/> bytes, as blocks arrive from peers.</summary>
    public static List<ReadOnlyMemory<byte>> Chunks(ReadOnlyMemory<byte> data, int chunk)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (int start = 0; start < data.Length; start += chunk)
        {
            chunks.Add(data.Slice(start, Math.Min(chunk, data.Length - start)));
        }

        return chunks;
    }
}
