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
/// write cache limit stops new pieces while checked pieces wait here.
/// </summary>
internal sealed class PieceWorker : IPieceChecker
{
    private readonly Torrent _torrent;
    private readonly IPieceStorage _storage;
    private readonly Func<TorrentSwarm> _swarm;
    private readonly Lock _gate;
    private readonly Action<string> _failed;
    private readonly Action _completed;
    private readonly Channel<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> _queue =
        Channel.CreateUnbounded<(int, IReadOnlyList<ReadOnlyMemory<byte>>)>(new UnboundedChannelOptions { SingleWriter = true });

    private readonly Task[] _workers;
    private int _pending;

    public PieceWorker(Torrent torrent, IPieceStorage storage, Func<TorrentSwarm> swarm, Lock gate, Action<string> failed, Action completed)
    {
        _completed = completed;
        _torrent = torrent;
        _storage = storage;
        _swarm = swarm;
        _gate = gate;
        _failed = failed;
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
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    private async Task WorkAsync()
    {
        await foreach (var (piece, blocks) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                Check(piece, blocks);
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
    }

    private void Check(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        PieceVerdict verdict = PieceVerifier.Judge(_torrent, piece, blocks);
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
