using System.Runtime.ExceptionServices;

namespace Shoal.Metainfo.Creation;

/// <summary>Makes a torrent from a file or a folder: scan, lay out, hash on all cores, encode, re-read.</summary>
public static class TorrentCreator
{
    private const long MaxPieceLength = 256L * 1024 * 1024;

    public static async Task<CreatedTorrent> CreateAsync(
        string path,
        TorrentCreationOptions options,
        Action<long>? bytesHashed = null,
        CancellationToken cancellationToken = default)
    {
        ContentSource source = ContentScanner.Scan(path);
        return await CreateAsync(source, options, bytesHashed, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<CreatedTorrent> CreateAsync(
        ContentSource source,
        TorrentCreationOptions options,
        Action<long>? bytesHashed = null,
        CancellationToken cancellationToken = default)
    {
        if (source.TotalSize == 0)
        {
            throw new TorrentCreationException($"'{source.Name}' holds no data: a torrent needs at least one non-empty file");
        }

        long pieceLength = options.PieceLength ?? PieceLengthChooser.Choose(source.TotalSize);
        ValidatePieceLength(pieceLength, options.Version);
        var layout = PieceLayout.Build(source.Files, pieceLength, alignFiles: options.Version.HasV2() && source.IsFolder);
        PieceHashes hashes;
        try
        {
            hashes = await Task.Run(
                () => PieceHasher.Hash(layout, options.Version, options.HashingThreads, bytesHashed, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (AggregateException e) when (e.InnerException is TorrentCreationException inner)
        {
            ExceptionDispatchInfo.Throw(inner);
            throw;
        }

        byte[] bytes = TorrentWriter.Write(source, layout, hashes, options);
        return new CreatedTorrent(bytes, TorrentParser.Parse(bytes));
    }

    private static void ValidatePieceLength(long pieceLength, TorrentVersion version)
    {
        if (pieceLength > MaxPieceLength)
        {
            throw new TorrentCreationException($"piece size {pieceLength} is larger than 256 MiB");
        }

        if (version.HasV2() ? !PieceLengthRules.IsValidForV2(pieceLength) : !PieceLengthRules.IsValidForNewV1(pieceLength))
        {
            throw new TorrentCreationException(version.HasV2()
                ? $"piece size {pieceLength} must be a power of two of at least 16 KiB for v2 and hybrid torrents"
                : $"piece size {pieceLength} must be a multiple of 16 KiB");
        }
    }
}
