using Shoal.Buffers;
using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Storage;

/// <summary>
/// Finds which pieces a storage holds by hashing them: all of them for a recheck, for content the user
/// already has, and when resume data cannot be trusted; after a crash, those written since the last record.
/// </summary>
public static class StorageChecker
{
    // Consecutive pieces per work item, so each worker reads its files nearly in order.
    private const long BytesPerWorkItem = 4 * 1024 * 1024;

    /// <summary>
    /// Hashes every piece on <see cref="Environment.ProcessorCount"/> workers and returns the pieces that
    /// verify. Pieces over parts of files that are not on disk are missing without being hashed.
    /// <paramref name="pieceChecked"/> is called from the workers, concurrently, after each piece.
    /// </summary>
    public static Task<PieceSet> CheckAsync(
        Torrent torrent,
        IPieceStorage storage,
        Action<int>? pieceChecked,
        CancellationToken cancellationToken) =>
        CheckAsync(torrent, storage, BufferPool.Shared, pieceChecked, cancellationToken);

    /// <summary>Checks as <see cref="CheckAsync(Torrent, IPieceStorage, Action{int}, CancellationToken)"/> does, one buffer per worker rented from <paramref name="pool"/>.</summary>
    public static Task<PieceSet> CheckAsync(
        Torrent torrent,
        IPieceStorage storage,
        BufferPool pool,
        Action<int>? pieceChecked,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        return HashAsync(torrent, storage, pool, new PieceSet(torrent.PieceCount), _ => true, pieceChecked, cancellationToken);
    }

    /// <summary>
    /// After a crash: the <paramref name="recorded"/> pieces, taken without hashing, and those of the others
    /// that verify. Of the others only the ones that may hold data are hashed (see
    /// <see cref="FileStorage.MayHoldData"/>): in a download's sparse files, those written since the record.
    /// <paramref name="pieceHashed"/> is called from the workers, concurrently, after each piece hashed.
    /// </summary>
    public static Task<PieceSet> CheckUnrecordedAsync(
        Torrent torrent,
        FileStorage storage,
        BufferPool pool,
        PieceSet recorded,
        Action<int>? pieceHashed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(recorded);
        return HashAsync(
            torrent,
            storage,
            pool,
            recorded.Clone(),
            piece => !recorded[piece] && storage.MayHoldData(torrent.PieceOffset(piece), torrent.PieceSize(piece)),
            pieceHashed,
            cancellationToken);
    }

    /// <summary>Adds to <paramref name="verified"/> the pieces that <paramref name="isCandidate"/> lets through and verify.</summary>
    private static async Task<PieceSet> HashAsync(
        Torrent torrent,
        IPieceStorage storage,
        BufferPool pool,
        PieceSet verified,
        Func<int, bool> isCandidate,
        Action<int>? pieceChecked,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(pool);
        var verifiedLock = new Lock();
        int piecesPerItem = (int)Math.Max(1, BytesPerWorkItem / torrent.PieceLength);
        int itemCount = (torrent.PieceCount + piecesPerItem - 1) / piecesPerItem;
        int nextItem = -1;
        int bufferLength = (int)Math.Min(torrent.PieceLength, torrent.AddressSpaceLength());

        // A failing worker stops the others, so a read error ends the check at once rather than after every piece.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        void Work()
        {
            byte[] buffer = pool.Rent(bufferLength);
            try
            {
                for (int item = Interlocked.Increment(ref nextItem); item < itemCount; item = Interlocked.Increment(ref nextItem))
                {
                    int end = Math.Min(torrent.PieceCount, (item + 1) * piecesPerItem);
                    for (int piece = item * piecesPerItem; piece < end; piece++)
                    {
                        stop.Token.ThrowIfCancellationRequested();
                        if (!isCandidate(piece))
                        {
                            continue;
                        }

                        if (IsPresent(torrent, storage, piece, buffer))
                        {
                            lock (verifiedLock)
                            {
                                verified.Set(piece);
                            }
                        }

                        pieceChecked?.Invoke(piece);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                stop.Cancel();
                throw;
            }
            finally
            {
                pool.Return(buffer);
            }
        }

        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, itemCount));
        var tasks = new Task[workers];
        for (int i = 0; i < workers; i++)
        {
            tasks[i] = Task.Run(Work, stop.Token);
        }

        // Workers stopped by a failing one end cancelled, so the failure is what surfaces.
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return verified;
    }

    private static bool IsPresent(Torrent torrent, IPieceStorage storage, int piece, byte[] buffer)
    {
        if (storage is FileStorage files && !files.IsOnDisk(torrent.PieceOffset(piece), torrent.PieceSize(piece)))
        {
            return false;
        }

        return PieceVerifier.VerifyPieceInStorage(torrent, storage, piece, buffer);
    }
}
