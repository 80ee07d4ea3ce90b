using System.Net;
using Shoal.Buffers;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>
/// One torrent's download and upload logic, sans I/O: it consumes decoded wire messages, closed
/// connections, checked pieces and timer ticks, and produces messages on each peer's
/// <see cref="IPeerLink"/> and pieces for the <see cref="IPieceChecker"/>. It is single-threaded: the
/// caller serializes every call (the session holds one lock per torrent).
/// </summary>
public sealed partial class TorrentSwarm
{
    private readonly Torrent _torrent;
    private readonly SwarmSettings _settings;
    private readonly IPieceChecker _checker;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly BufferPool _pool;
    private readonly PiecePicker _picker;
    private readonly Choker _choker;
    // Bans only on proof: the lone sender of a second failed piece, or a block that differs from the one
    // that later verified. Counting strikes across mixed pieces would ban honest peers whose blocks
    // shared a piece with a liar's.
    private readonly SmartBan<PeerKey> _smartBan = new(maxStrikes: int.MaxValue);
    private readonly PeerBans _bans = new();
    private readonly List<SwarmPeer> _peers = [];
    private readonly List<SwarmPeer> _withOutput = [];
    private readonly List<BlockRef> _blocks = [];
    private readonly List<int> _offers = [];
    private readonly RateMeter _downloadMeter = new();
    private readonly RateMeter _uploadMeter = new();
    private readonly ClosedPeerTotals _downloadedFromClosed = new();
    private readonly Dictionary<ConnectionKind, long> _downloadedByKindFromClosed = [];
    private int _nextPeerId;
    private int _outstandingBlocks;
    private TimeSpan _lastRechoke;
    private long _verifiedBytes;
    private InitialSeeding? _initialSeeding;

    public TorrentSwarm(Torrent torrent, PieceSet have, SwarmSettings settings, IPieceChecker checker, TimeProvider time, Random random, BufferPool pool)
    {
        if (have.Length != torrent.PieceCount)
        {
            throw new ArgumentException("the bitfield does not match the torrent's piece count", nameof(have));
        }

        _torrent = torrent;
        _settings = settings;
        ListenPort = settings.ListenPort;
        DhtPort = settings.DhtPort;
        _checker = checker;
        _time = time;
        _startTimestamp = time.GetTimestamp();
        _pool = pool;
        _picker = new PiecePicker(torrent, have, piecePriorities: null, random, pool);
        _choker = new Choker(settings.Choker, random);
        _verifiedBytes = torrent.BytesIn(have);
        if (settings.InitialSeeding && have.IsComplete)
        {
            _initialSeeding = new InitialSeeding(torrent, Math.Max(settings.InitialSeedingOfferAhead, torrent.PieceLength), settings.InitialSeedingOfferTimeout);
        }
    }

    /// <summary>Pieces verified and stored.</summary>
    public PieceSet Have => _picker.Have;

    /// <summary>Every wanted piece is verified: the download is complete, though pieces only of skipped files may be missing.</summary>
    public bool IsComplete => _picker.IsFinished;

    /// <summary>Complete, and no piece is started (pieces begun before their files were skipped are finished).</summary>
    private bool HasNothingToFetch => _picker.IsFinished && _picker.Partials.Count == 0;

    public IReadOnlyList<SwarmPeer> Peers => _peers;

    /// <summary>Payload bytes received that we kept.</summary>
    public long Downloaded { get; private set; }

    /// <summary>Payload bytes queued to peers.</summary>
    public long Uploaded { get; private set; }

    /// <summary>Payload bytes received and thrown away: duplicates, unrequested blocks, pieces that failed their check.</summary>
    public long Wasted { get; private set; }

    public int HashFailures { get; private set; }

    /// <summary>Peers with smart ban's strikes against them (senders of failed pieces not yet cleared).</summary>
    internal int PeersWithStrikes => _smartBan.PeersWithStrikes;

    /// <summary>Peers convicted of a bad block by its BEP 52 leaf hash, after a v2 piece failed.</summary>
    public int BlocksConvicted { get; private set; }

    public bool IsClosed { get; private set; }

    private TimeSpan Now => _time.GetElapsedTime(_startTimestamp);

    /// <summary>
    /// Takes each piece's priority (<see cref="FilePriorities.OfPieces"/>) at once: interest and requests follow.
    /// Pieces already started are finished.
    /// </summary>
    public void SetPiecePriorities(FilePriority[] piecePriorities)
    {
        _picker.SetPriorities(piecePriorities);
        foreach (SwarmPeer peer in _peers.ToArray())
        {
            if (NeitherWantsTheOther(peer))
            {
                Disconnect(peer, "neither side wants anything from the other");
            }
            else
            {
                UpdateInterest(peer);
            }
        }

        FlushOutput();
    }

    /// <summary>Whether a connection from this address with this peer id is refused.</summary>
    public bool IsBanned(IPAddress address, ReadOnlySpan<byte> peerId) => _bans.IsBanned(PeerKey.Of(IPv4Mapping.Unmap(address), peerId));

    /// <summary>Whether every connection from this address is refused, whatever its peer id.</summary>
    public bool IsAddressBanned(IPAddress address) => _bans.IsAddressBanned(IPv4Mapping.Unmap(address));

    /// <summary>The link of the open connection with this peer id, if any.</summary>
    public IPeerLink? LinkOf(ReadOnlySpan<byte> peerId)
    {
        foreach (SwarmPeer peer in _peers)
        {
            if (peer.PeerId.Span.SequenceEqual(peerId))
            {
                return peer.Link;
            }
        }

        return null;
    }

    /// <summary>
    /// Adds a connection whose handshake is done, over <paramref name="transport"/>, <paramref name="encrypted"/> when MSE
    /// chose RC4; sends our extension handshake and what we have.
    /// </summary>
    public SwarmPeer AddPeer(IPeerLink link, ReadOnlyMemory<byte> peerId, ReservedBits reserved, PeerTransport transport = PeerTransport.Tcp, bool encrypted = false)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        var peer = new SwarmPeer(_nextPeerId++, link, peerId, reserved, _torrent.PieceCount, Now)
        {
            QueueDepth = _settings.InitialQueueDepth,
            PeerRequestQueue = _settings.DefaultPeerRequestQueue,
            Transport = transport,
            IsEncrypted = encrypted,
        };
        _peers.Add(peer);
        _initialSeeding?.AddPeer(peer);
        if (peer.SupportsExtensions)
        {
            SendExtensionHandshake(peer);
        }

        SendPieceInformation(peer);
        if (peer.SupportsDht && DhtPort is > 0 and <= ushort.MaxValue)
        {
            PeerMessageWriter.WritePort(Output(peer), (ushort)DhtPort);
        }

        if (_initialSeeding is not null && peer.AmChoking && _choker.HasFreeSlot(_peers.Count(p => !p.AmChoking)))
        {
            // Initial seeding: a peer shown nothing is not interested yet; unchoked, it is offered pieces at once.
            Unchoke(peer);
        }

        FlushOutput();
        return peer;
    }

    /// <summary>Forgets a connection the transport lost; its requests go back to the picker.</summary>
    public void OnClosed(SwarmPeer peer)
    {
        if (!peer.IsAttached)
        {
            return;
        }

        peer.IsAttached = false;
        _peers.Remove(peer);

        ReleaseOutstanding(peer);
        _initialSeeding?.OnClosed(peer);
        _choker.Forget(peer.Id);
        _downloadedFromClosed.Add(peer.PeerId.Span, peer.Downloaded);
        if (peer.WebSeed is null && peer.Downloaded > 0)
        {
            _downloadedByKindFromClosed[peer.Kind] = _downloadedByKindFromClosed.GetValueOrDefault(peer.Kind) + peer.Downloaded;
        }

        if (peer.HasPieceInformation)
        {
            _picker.AddAvailability(peer.Pieces, -1);
        }

        if (!peer.AmChoking)
        {
            UnchokeWaitingPeer();
        }

        FlushOutput();
    }

    /// <summary>Called about once a second: timeouts, keep-alives, request queue sizes, choking rounds.</summary>
    public void Tick()
    {
        if (IsClosed)
        {
            return;
        }

        TimeSpan now = Now;
        for (int i = _peers.Count - 1; i >= 0; i--)
        {
            SwarmPeer peer = _peers[i];
            // A web seed sends nothing unasked: its HTTP requests have their own timeouts.
            if (peer.WebSeed is null && now - peer.LastReceived > _settings.IdleTimeout)
            {
                Disconnect(peer, "the peer sent nothing for too long");
                continue;
            }

            peer.HashesSentThisSecond = 0;
            if (_initialSeeding is not null)
            {
                _initialSeeding.Expire(peer, now, _offers);
                SendOffers(peer);
            }

            ExpireRequests(peer, now);
            AdaptQueueDepth(peer, now);
            if (now - peer.LastSent > _settings.KeepAliveInterval)
            {
                PeerMessageWriter.WriteKeepAlive(Output(peer));
            }

            RequestBlocks(peer);
        }

        ExpireLeafRequests(now);
        SendPex(now);
        if (now - _lastRechoke >= _settings.Choker.RechokeInterval)
        {
            _lastRechoke = now;
            Rechoke(now);
        }

        FlushOutput();
    }

    /// <summary>Closes every connection and returns every buffer not with the checker.</summary>
    public void Close()
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        foreach (SwarmPeer peer in _peers.ToArray())
        {
            Disconnect(peer, "shutting down");
        }

        _picker.ReleaseUnchecked();
    }

    private void Disconnect(SwarmPeer peer, string reason)
    {
        OnClosed(peer);
        peer.Link.Close(reason);
    }

    private System.Buffers.IBufferWriter<byte> Output(SwarmPeer peer)
    {
        peer.HasUrgentOutput = true;
        return LazyOutput(peer);
    }

    /// <summary>
    /// The peer's output for messages that may wait for the next urgent one, or a moment (<see cref="IPeerLink.FlushSoon"/>).
    /// Only what is written here may wait: anything else marked for the peer (a message, a block) leaves at once.
    /// </summary>
    private System.Buffers.IBufferWriter<byte> LazyOutput(SwarmPeer peer)
    {
        QueueForFlush(peer);
        peer.LastSent = Now;
        return peer.Link.Output;
    }

    private void MarkOutput(SwarmPeer peer)
    {
        peer.HasUrgentOutput = true;
        QueueForFlush(peer);
    }

    private void QueueForFlush(SwarmPeer peer)
    {
        if (!peer.IsQueuedForFlush)
        {
            peer.IsQueuedForFlush = true;
            _withOutput.Add(peer);
        }
    }

    /// <summary>Flushes the peers written to since the last flush: a batch costs what it wrote, not one look at every peer.</summary>
    private void FlushOutput()
    {
        for (int i = 0; i < _withOutput.Count; i++)
        {
            SwarmPeer peer = _withOutput[i];
            peer.IsQueuedForFlush = false;
            if (peer.IsAttached && peer.HasUrgentOutput)
            {
                peer.Link.Flush();
            }
            else if (peer.IsAttached)
            {
                peer.Link.FlushSoon();
            }

            peer.HasUrgentOutput = false;
        }

        _withOutput.Clear();
    }
}
