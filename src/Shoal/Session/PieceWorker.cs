using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Shoal.Metainfo;
using Shoal.Storage;
using Shoal.Swarm;

namespace Shoal.Session;

/// <summary>
/// Writes complete pieces, then verifies them, on thread-pool workers (one per core for each), and reports to the swarm
/// under its lock: <see cref="TorrentSwarm.OnPieceWritten"/> once a piece is on disk (a kill no longer loses it: the next
/// start finds it there and hashes it, as libtorrent does with its unfinished pieces) and the verdict after. Nothing is
/// claimed before it is verified. The queues need no bound of their own: the swarm's check queue and unwritten limits stop
/// new pieces while pieces wait here. Where sixteen-lane hashing is there, written pieces are verified in batches
/// (<see cref="PieceBatches"/>, <see cref="PieceBatchVerifier"/>), fewer than six or a piece of another layout one at a time.
/// </summary>
internal sealed class PieceWorker : IPieceChecker
{
    private readonly Torrent _torrent;
    private readonly IPieceStorage _storage;
    private readonly Func<TorrentSwarm> _swarm;
    private readonly Lock _gate;
    private readonly Action<string> _failed;
    private readonly Action _completed;
    private readonly Channel<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> _unwritten =
        Channel.CreateUnbounded<(int, IReadOnlyList<ReadOnlyMemory<byte>>)>(new UnboundedChannelOptions { SingleWriter = true });

    private readonly Channel<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> _written =
        Channel.CreateUnbounded<(int, IReadOnlyList<ReadOnlyMemory<byte>>)>(new UnboundedChannelOptions());

    private readonly PieceBatches _batches;
    private readonly Task[] _writers;
    private readonly Task[] _checkers;
    private int _pending;
    private int _piecesInLanes;

    /// <param name="batchBytes">
    /// Most bytes of pieces verified together (<see cref="SwarmSettings.CheckBatchBytes"/>).
    /// </param>
    /// <param name="gatherWait">How long a batch waits for its next piece, when not <see cref="PieceBatches"/>' own.</param>
    public PieceWorker(
        Torrent torrent, IPieceStorage storage, Func<TorrentSwarm> swarm, Lock gate, Action<string> failed, Action completed, long batchBytes, TimeSpan? gatherWait = null)
    {
        _completed = completed;
        _torrent = torrent;
        _storage = storage;
        _swarm = swarm;
        _gate = gate;
        _failed = failed;
        int limit = (int)Math.Clamp(batchBytes / torrent.PieceLength, 1, PieceBatchVerifier.MaxPieces);
        _batches = new PieceBatches(_written.Reader, PieceBatchVerifier.IsSupported && torrent.Version.HasV1() && limit >= PieceBatchVerifier.MinPieces ? limit : 1, gatherWait);
        _writers = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(WriteAllAsync))];
        _checkers = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(CheckAllAsync))];
    }

    /// <summary>Pieces queued, being written or being checked.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Pieces verified so far in batches, in lanes.</summary>
    public int PiecesInLanes => Volatile.Read(ref _piecesInLanes);

    public void CheckAndStore(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        Interlocked.Increment(ref _pending);
        _unwritten.Writer.TryWrite((piece, blocks));
    }

    /// <summary>Reads a piece we have and hashes its blocks (BEP 52 leaves) on the thread pool, for a peer's leaf-hash request.</summary>
    public void HashBlocks(int piece) => _ = Task.Run(() =>
    {
        byte[]? leaves = null;
        byte[] data = ArrayPool<byte>.Shared.Rent(_torrent.PieceSize(piece));
        try
        {
            int size = _torrent.PieceSize(piece);
            _storage.Read(_torrent.PieceOffset(piece), data.AsSpan(0, size));
            int count = PieceGeometry.BlockCount(size);
            leaves = new byte[count * MerkleTree.HashSize];
            for (int block = 0; block < count; block++)
            {
                int start = block * MerkleTree.BlockSize;
                SHA256.HashData(data.AsSpan(start, Math.Min(MerkleTree.BlockSize, size - start)), leaves.AsSpan(block * MerkleTree.HashSize, MerkleTree.HashSize));
            }
        }
        catch (Exception e) when (e is StorageException or ObjectDisposedException)
        {
            leaves = null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }

        lock (_gate)
        {
            _swarm().OnBlockHashes(piece, leaves);
        }
    });

    /// <summary>Finishes the pieces already queued, then stops the workers.</summary>
    public async Task DrainAsync()
    {
        _unwritten.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
        _written.Writer.TryComplete();
        await _batches.Completion.ConfigureAwait(false);
        await Task.WhenAll(_checkers).ConfigureAwait(false);
    }

    private async Task WriteAllAsync()
    {
        await foreach (var (piece, blocks) in _unwritten.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (Write(piece, blocks))
            {
                _written.Writer.TryWrite((piece, blocks));
            }
        }
    }

    /// <summary>Writes a piece and tells the swarm; false (and the piece is done with) when it could not be written.</summary>
    private bool Write(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        try
        {
            _storage.Write(_torrent.PieceOffset(piece), blocks);
            lock (_gate)
            {
                _swarm().OnPieceWritten(piece);
            }

            return true;
        }
        catch (StorageException e)
        {
            NotStored(piece);
            _failed(e.Message);
        }
        catch (Exception e)
        {
            // A bug must not kill the worker silently and stall the download: the torrent stops and says why.
            _failed($"internal error while writing piece {piece}: {e}");
        }

        Interlocked.Decrement(ref _pending);
        return false;
    }

    private void NotStored(int piece)
    {
        lock (_gate)
        {
            _swarm().OnPieceNotStored(piece);
        }
    }

    private async Task CheckAllAsync()
    {
        var verdicts = new PieceVerdict[_batches.Limit];
        PieceBatchVerifier? lanes = null;
        await foreach (List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> batch in _batches.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            int together = 0;
            try
            {
                together = Together(batch);
                if (together > 0)
                {
                    lanes ??= new PieceBatchVerifier();
                    lanes.Judge(_torrent, batch.GetRange(0, together), verdicts);
                    Interlocked.Add(ref _piecesInLanes, together);
                }
            }
            catch (Exception e)
            {
                // As below: the torrent stops and says why; the pieces are still accounted for one at a time.
                _failed($"internal error while checking pieces {batch[0].Piece} and on: {e}");
                together = 0;
            }

            for (int i = 0; i < batch.Count; i++)
            {
                Complete(batch[i].Piece, batch[i].Blocks, i < together ? verdicts[i] : null);
            }
        }
    }

    /// <summary>How many of the batch's first pieces are checked together: those that share the first's layout, if enough do.</summary>
    private int Together(List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> batch)
    {
        if (batch.Count < PieceBatchVerifier.MinPieces)
        {
            return 0;
        }

        // Pieces that do not fit (the last, shorter piece) go to the end, to be checked one at a time.
        IReadOnlyList<ReadOnlyMemory<byte>> layout = batch[0].Blocks;
        if (!PieceBatchVerifier.Fits(_torrent, batch[0].Piece, layout, layout))
        {
            return 0;
        }

        int fitting = 1;
        for (int i = 1; i < batch.Count; i++)
        {
            if (PieceBatchVerifier.Fits(_torrent, batch[i].Piece, batch[i].Blocks, layout))
            {
                (batch[fitting], batch[i]) = (batch[i], batch[fitting]);
                fitting++;
            }
        }

        return fitting >= PieceBatchVerifier.MinPieces ? fitting : 0;
    }

    /// <summary>Judges the written piece unless <paramref name="verdict"/> is given, and tells the swarm.</summary>
    private void Complete(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks, PieceVerdict? verdict)
    {
        try
        {
            Report(piece, verdict ?? PieceVerifier.Judge(_torrent, piece, blocks));
        }
        catch (Exception e)
        {
            // As in Write: the torrent stops and says why.
            _failed($"internal error while checking piece {piece}: {e}");
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    private void Report(int piece, PieceVerdict verdict)
    {
        if (verdict == PieceVerdict.HalvesDisagree)
        {
            // BEP 52: a hybrid's v1 and v2 halves must describe the same data; which one is the truth is not ours to guess.
            NotStored(piece);
            _failed($"the hybrid torrent's v1 and v2 hashes disagree on piece {piece}: its two halves describe different data, so it is refused");
            return;
        }

        bool complete;
        lock (_gate)
        {
            complete = _swarm().OnPieceChecked(piece, verdict == PieceVerdict.Passed);
        }

        if (complete)
        {
            _completed();
        }
    }
}
