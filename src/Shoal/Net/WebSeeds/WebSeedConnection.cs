using System.Buffers;
using System.Net;
using Shoal.Metainfo;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Net.WebSeeds;

/// <summary>
/// BEP 19: one web seed as a connection of the swarm. The swarm writes request and cancel messages to it as to any
/// peer; <see cref="MaxRequestsInFlight"/> loops turn runs of adjacent requested blocks into HTTP range GETs and hand
/// each block back to the swarm as a piece message, under the torrent's lock, as a peer connection's receive loop
/// does. Any failure closes it, with <see cref="Error"/> saying why.
/// </summary>
internal sealed class WebSeedConnection : IPeerLink, IDisposable
{
    /// <summary>HTTP requests under way at once: a few, so a server sees a download, not a flood.</summary>
    public const int MaxRequestsInFlight = 2;

    /// <summary>The most one HTTP request asks for (BEP 19 prefers long ranges; this bounds a run's duration).</summary>
    public const int MaxRunBytes = 1024 * 1024;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // A web seed has no peer address; none of this kind is ever a peer's.
    private static readonly IPEndPoint NoAddress = new(IPAddress.None, 0);

    private readonly WebSeedContext _context;
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly PeerMessageReader _reader = new();
    private readonly WebSeedRequests _requests;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private SwarmPeer? _peer;

    public WebSeedConnection(string entry, Uri url, WebSeedContext context)
    {
        Entry = entry;
        Url = url;
        _context = context;
        _requests = new WebSeedRequests(context.Torrent, context.MaxQueuedBlocks, MaxRunBytes);
    }

    /// <summary>The torrent's url-list entry, as written there.</summary>
    public string Entry { get; }

    public Uri Url { get; }

    public IPEndPoint Remote => NoAddress;

    public IBufferWriter<byte> Output => _output;

    public long QueuedBytes => 0;

    /// <summary>Why the connection ended, once it has.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>The failure that ended it (an HTTP error, a timeout…); null when the swarm closed it or it stopped.</summary>
    public string? Error { get; private set; }

    /// <summary>Payload the swarm kept from it; read under the torrent's lock.</summary>
    public long Downloaded => _peer?.Downloaded ?? 0;

    /// <summary>Reads what the swarm wrote: requests are queued for the HTTP loops, cancels taken back, the rest (interest, keep-alives) needs no answer.</summary>
    public void Flush()
    {
        var messages = new ReadOnlySequence<byte>(_output.WrittenMemory);
        bool requested = false;
        while (_reader.TryRead(ref messages, out PeerMessage message))
        {
            if (message.Id == MessageId.Request)
            {
                _requests.Add(new BlockRef(message.Index, message.Begin, message.Length));
                requested = true;
            }
            else if (message.Id == MessageId.Cancel)
            {
                _requests.Remove(new BlockRef(message.Index, message.Begin, message.Length));
            }
        }

        _output.ResetWrittenCount();
        // Every idle loop wakes: a batch of requests may make several runs.
        int idle = MaxRequestsInFlight - _signal.CurrentCount;
        if (requested && idle > 0)
        {
            _signal.Release(idle);
        }
    }

    /// <summary>A web seed asks for nothing, so there is never a block to send it.</summary>
    public bool SendBlock(BlockRef block) => false;

    public bool TryCancelBlock(BlockRef block) => false;

    public void TakeBackQueuedBlocks(List<BlockRef> removed)
    {
    }

    public void Close(string reason)
    {
        CloseReason ??= reason;
        _stop.Cancel();
    }

    /// <summary>Joins the swarm and fetches what it asks for until it closes the web seed, a request fails, or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using CancellationTokenRegistration registration = cancellationToken.Register(() => Close("shutting down"));
            lock (_context.Gate)
            {
                _peer = _context.Swarm.IsClosed ? null : _context.Swarm.AddWebSeed(this, Entry);
            }

            if (_peer is null)
            {
                CloseReason ??= "nothing to fetch";
                return;
            }

            await Task.WhenAll(Enumerable.Range(0, MaxRequestsInFlight).Select(_ => FetchLoopAsync(_stop.Token))).ConfigureAwait(false);
            lock (_context.Gate)
            {
                _context.Swarm.OnClosed(_peer);
            }
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Called by <see cref="RunAsync"/> once it has ended: the swarm no longer holds the connection.</summary>
    public void Dispose()
    {
        _signal.Dispose();
        _stop.Dispose();
    }

    private async Task FetchLoopAsync(CancellationToken stop)
    {
        byte[] buffer = _context.Pool.Rent(PieceGeometry.BlockSize);
        var run = new WebSeedRun(buffer, DeliverAsync);
        try
        {
            while (true)
            {
                await _signal.WaitAsync(stop).ConfigureAwait(false);
                while (_requests.TryTakeRun(run.Blocks))
                {
                    await FetchAsync(run, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (WebSeedException e)
        {
            Error ??= e.Message;
            Close(e.Message);
        }
        catch (Exception e)
        {
            // Whatever a server sends, the torrent goes on: an unexpected failure ends only this web seed.
            Error ??= $"internal error: {e}";
            Close(Error);
        }
        finally
        {
            _context.Pool.Return(buffer);
        }
    }

    /// <summary>One run: an HTTP range for each file it crosses, zeros for padding and the gaps between files.</summary>
    private async Task FetchAsync(WebSeedRun run, CancellationToken stop)
    {
        BlockRef first = run.Blocks[0];
        List<ContentMap.Segment> segments = [];
        foreach (ContentMap.Segment segment in _context.Map.Segments(_context.Torrent.PieceOffset(first.Piece) + first.Begin, run.Length))
        {
            segments.Add(segment);
        }

        run.Restart();
        foreach (ContentMap.Segment segment in segments)
        {
            if (segment.IsGap)
            {
                await run.ZerosAsync(segment.Length, stop).ConfigureAwait(false);
                continue;
            }

            FileEntry file = _context.Torrent.Files[segment.FileIndex];
            Uri url = WebSeedUrl.ForFile(Url, _context.Torrent, file);
            await WebSeedRangeRequest.ReadAsync(_context.Http, url, segment.FileOffset, segment.Length, file.Length, run, Timeout, _context.Time, stop).ConfigureAwait(false);
        }
    }

    private async ValueTask DeliverAsync(BlockRef block, ReadOnlyMemory<byte> data, CancellationToken stop)
    {
        await _context.Download.AcquireAsync(data.Length, stop).ConfigureAwait(false);
        lock (_context.Gate)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                _context.Swarm.OnMessage(_peer!, new PeerMessage { Id = MessageId.Piece, Index = block.Piece, Begin = block.Begin, Payload = new ReadOnlySequence<byte>(data) });
            }
            finally
            {
                _context.Swarm.EndBatch();
            }
        }
    }
}
