using Microsoft.Extensions.Logging;
using Shoal.Buffers;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;
using Shoal.Wire;

namespace Shoal.Session;

/// <summary>
/// Finds the pieces a torrent has when it first starts: every one for content just hashed into it, those
/// trusted resume data vouches for (with, after a crash, those written since it), or, when there is any
/// doubt, those a check of the files finds.
/// </summary>
internal sealed class ContentCheck(Torrent torrent, AddTorrentOptions options, IReadOnlyList<string> paths, FileStorage storage, ResumeKeeper resume, BufferPool pool, ILogger logger)
{
    private int _checked;

    /// <summary>Pieces the check has looked at so far: in a full check every piece, after a crash those it hashed.</summary>
    public int CheckedPieces => Volatile.Read(ref _checked);

    public async Task<PieceSet> FindPiecesAsync(CancellationToken cancellationToken)
    {
        var have = new PieceSet(torrent.PieceCount);
        if (options.ContentIsVerified)
        {
            have.SetAll();
            return have;
        }

        if (!options.Recheck && resume.LoadTrusted() is { } trusted)
        {
            if (!trusted.OthersMayBeOnDisk)
            {
                EngineLog.PiecesFound(logger, torrent.Name, trusted.Pieces.Count, torrent.PieceCount, "trusting resume data");
                return trusted.Pieces;
            }

            PieceSet recovered = await StorageChecker.CheckUnrecordedAsync(torrent, storage, pool, trusted.Pieces, _ => Interlocked.Increment(ref _checked), cancellationToken).ConfigureAwait(false);
            EngineLog.PiecesFoundAfterCrash(logger, torrent.Name, recovered.Count, torrent.PieceCount, trusted.Pieces.Count, CheckedPieces);
            return recovered;
        }

        if (!paths.Zip(torrent.Files).Any(pair => !pair.Second.IsPadding && File.Exists(pair.First)))
        {
            return have;
        }

        PieceSet found = await StorageChecker.CheckAsync(torrent, storage, pool, _ => Interlocked.Increment(ref _checked), cancellationToken).ConfigureAwait(false);
        EngineLog.PiecesFound(logger, torrent.Name, found.Count, torrent.PieceCount, "a full check");
        return found;
    }
}
