using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Shoal.Metainfo;
using Shoal.Storage;
using Shoal.Swarm;

namespace Shoal.Session;

/// <summary>
/// Verifies complete pieces and writes those that pass, on thread-pool workers (one per core), then
/// reports each verdict to the swarm under its lock. The queue needs no bound of its own: the swarm's
/// check queue limit stops new pieces while pieces wait here. Where sixteen-lane hashing is there, a worker
/// takes the pieces that arrive within <see cref="GatherWait"/> of each other, up to sixteen and
/// <c>batchBytes</c>, and checks them together (<see cref="PieceBatchVerifier"/>); a trickle of pieces is
/// checked one at a time as before, each at most <see cref="GatherWait"/> later (<see cref="FastGatherWait"/>
/// right after a full batch).
/// </summary>
internal sealed class PieceWorker : IPieceChecker
{
    /// <summary>A fast download completes a piece every millisecond or less; a slow one is not held up for long.</summary>
    internal static readonly TimeSpan GatherWait = TimeSpan.FromMilliseconds(2);

    /// <summary>After a full batch: on a busy machine a fast download's pieces come in bursts with gaps of several milliseconds.</summary>
    internal static readonly TimeSpan FastGatherWait = TimeSpan.FromMilliseconds(10);

    private readonly Torrent _torrent;
    private readonly IPieceStorage _storage;
    private readonly Func<TorrentSwarm> _swarm;
    private readonly Lock _gate;
    private readonly Action<string> _failed;
    private readonly Action _completed;
    private readonly Channel<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> _queue =
        Channel.CreateUnbounded<(int, IReadOnlyList<ReadOnlyMemory<byte>>)>(new UnboundedChannelOptions { SingleWriter = true });

    // One task gathers batches while the workers check and write those before.
    private readonly Channel<List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)>> _batches =
        Channel.CreateUnbounded<List<(int, IReadOnlyList<ReadOnlyMemory<byte>>)>>(new UnboundedChannelOptions { SingleWriter = true });

    private readonly int _batchLimit;
    private readonly Task _gatherer;
    private bool _lastBatchFull;
    private readonly Task[] _workers;
    private int _pending;

    /// <param name="batchBytes">
    /// Most bytes of pieces checked together: half the swarm's check queue limit, so that the next batch fills while one is written.
    /// </param>
    public PieceWorker(Torrent torrent, IPieceStorage storage, Func<TorrentSwarm> swarm, Lock gate, Action<string> failed, Action completed, long batchBytes)
    {
        _completed = completed;
        _torrent = torrent;
        _storage = storage;
        _swarm = swarm;
        _gate = gate;
        _failed = failed;
        int limit = (int)Math.Clamp(batchBytes / torrent.PieceLength, 1, PieceBatchVerifier.MaxPieces);
        _batchLimit = PieceBatchVerifier.IsSupported && torrent.Version.HasV1() && limit >= PieceBatchVerifier.MinPieces ? limit : 1;
        _gatherer = Task.Run(GatherAllAsync);
        _workers = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Pieces queued or being checked.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void CheckAndStore(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        Interlocked.Increment(ref _pending);
        _queue.Writer.TryWrite((piece, blocks));
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
        _queue.Writer.TryComplete();
        await _gatherer.ConfigureAwait(false);
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private async Task GatherAllAsync()
    {
        try
        {
            while (true)
            {
                var batch = new List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)>(_batchLimit);
                if (!await GatherAsync(batch).ConfigureAwait(false))
                {
                    return;
                }

                _batches.Writer.TryWrite(batch);
            }
        }
        finally
        {
            _batches.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Takes the next piece (waiting for one) and, when batches are on, the pieces that follow it within
    /// <see cref="GatherWait"/> of each other; false once the queue is completed and empty.
    /// </summary>
    private async Task<bool> GatherAsync(List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> batch)
    {
        ChannelReader<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> reader = _queue.Reader;
        while (batch.Count < _batchLimit)
        {
            if (reader.TryRead(out var item))
            {
                batch.Add(item);
                continue;
            }

            ValueTask<bool> more = reader.WaitToReadAsync();
            if (batch.Count == 0 || more.IsCompleted)
            {
                if (!await more.ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            Task<bool> waiting = more.AsTask();
            if (await Task.WhenAny(waiting, Task.Delay(_lastBatchFull ? FastGatherWait : GatherWait)).ConfigureAwait(false) != waiting
                || !await waiting.ConfigureAwait(false))
            {
                break;
            }
        }

        _lastBatchFull = batch.Count == _batchLimit && _batchLimit > 1;
        return batch.Count > 0;
    }

    private async Task WorkAsync()
    {
        var verdicts = new PieceVerdict[_batchLimit];
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

    /// <summary>Judges the piece unless <paramref name="verdict"/> is given, writes it if it passed, and tells the swarm.</summary>
    private void Complete(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks, PieceVerdict? verdict)
    {
        try
        {
            Check(piece, blocks, verdict ?? PieceVerifier.Judge(_torrent, piece, blocks));
        }
        catch (StorageException e)
        {
            lock (_gate)
            {
                _swarm().OnPieceNotStored(piece);
            }

            _failed(e.Message);
        }
        catch (Exception e)
        {
            // A bug must not kill the worker silently and stall the download: the torrent stops and says why.
            _failed($"internal error while checking piece {piece}: {e}");
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    private void Check(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks, PieceVerdict verdict)
    {
        if (verdict == PieceVerdict.HalvesDisagree)
        {
            // BEP 52: a hybrid's v1 and v2 halves must describe the same data; which one is the truth is not ours to guess.
            lock (_gate)
            {
                _swarm().OnPieceNotStored(piece);
            }

            _failed($"the hybrid torrent's v1 and v2 hashes disagree on piece {piece}: its two halves describe different data, so it is refused");
            return;
        }

        bool passed = verdict == PieceVerdict.Passed;
        if (passed)
        {
            _storage.Write(_torrent.PieceOffset(piece), blocks);
        }

        bool complete;
        lock (_gate)
        {
            TorrentSwarm swarm = _swarm();
            complete = swarm.OnPieceChecked(piece, passed);
        }

        if (complete)
        {
            _completed();
        }
    }
}
