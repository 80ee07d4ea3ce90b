using System.Net;
using Shoal.Primitives;
using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>The swarm's state of one connection: choke and interest on both sides, what the peer has, our requests to it.</summary>
public sealed class SwarmPeer
{
    internal SwarmPeer(int id, IPeerLink link, ReadOnlyMemory<byte> peerId, ReservedBits reserved, int pieceCount, TimeSpan now, string? webSeed = null)
    {
        WebSeed = webSeed;
        Id = id;
        Link = link;
        Address = IPv4Mapping.Unmap(link.Remote.Address);
        Port = link.Remote.Port;
        PeerId = peerId;
        Key = PeerKey.Of(Address, peerId.Span);
        SupportsFast = reserved.SupportsFastExtension;
        SupportsExtensions = reserved.SupportsExtensionProtocol;
        SupportsDht = reserved.SupportsDht;
        Pieces = new PieceSet(pieceCount);
        LastReceived = now;
        LastSent = now;
    }

    /// <summary>Unique within the swarm, for the choker.</summary>
    public int Id { get; }

    public IPeerLink Link { get; }

    public IPAddress Address { get; }

    public int Port { get; }

    public ReadOnlyMemory<byte> PeerId { get; }

    /// <summary>Who bans and strikes are for.</summary>
    public PeerKey Key { get; }

    public bool SupportsFast { get; }

    /// <summary>BEP 19: the web seed's URL (as the torrent's url-list gives it) when this is one, not a peer.</summary>
    public string? WebSeed { get; }

    public bool SupportsExtensions { get; }

    /// <summary>BEP 5: the peer's handshake says it runs a DHT node.</summary>
    public bool SupportsDht { get; }

    /// <summary>The DHT port the peer's PORT message gave (BEP 5), once it sent one.</summary>
    public int? DhtPort { get; internal set; }

    public PeerTransport Transport { get; init; }

    /// <summary>Whether the connection's bytes are encrypted (MSE with RC4).</summary>
    public bool IsEncrypted { get; init; }

    public ConnectionKind Kind => new(Transport, IsEncrypted);

    /// <summary>The pieces the peer says it has.</summary>
    public PieceSet Pieces { get; internal set; }

    public string? Client { get; internal set; }

    /// <summary>BEP 10 <c>p</c>: where the peer listens, if it said.</summary>
    public int? ListenPort { get; internal set; }

    /// <summary>BEP 9: the id the peer wants ut_metadata messages under; 0 when it has none.</summary>
    internal byte MetadataId { get; set; }

    /// <summary>BEP 11: the id the peer wants ut_pex messages under; 0 when it has none.</summary>
    internal byte PexId { get; set; }

    /// <summary>BEP 55: the id the peer wants ut_holepunch messages under; 0 when it has none.</summary>
    internal byte HolepunchId { get; set; }

    /// <summary>BEP 10 <c>yourip</c>: our address as the peer sees it, if it said.</summary>
    internal IPAddress? SeesUsAt { get; set; }

    /// <summary>The start of the window its BEP 55 messages are counted in, and their count.</summary>
    internal TimeSpan HolepunchWindowStart { get; set; }

    internal int HolepunchMessagesInWindow { get; set; }

    /// <summary>BEP 11: the peers we last told it we are connected to.</summary>
    internal HashSet<IPEndPoint> PexTold { get; } = [];

    /// <summary>When we last sent it ut_pex.</summary>
    internal TimeSpan? LastPexSent { get; set; }

    public bool AmChoking { get; internal set; } = true;

    public bool AmInterested { get; internal set; }

    public bool PeerChoking { get; internal set; } = true;

    public bool PeerInterested { get; internal set; }

    public bool IsSnubbed { get; internal set; }

    public long Downloaded { get; internal set; }

    public long Uploaded { get; internal set; }

    public bool IsSeed => Pieces.IsComplete;

    /// <summary>BEP 21: the peer said it is a partial seed, downloading nothing more.</summary>
    public bool IsUploadOnly { get; set; }

    internal TimeSpan LastReceived { get; set; }

    internal TimeSpan LastSent { get; set; }

    internal TimeSpan LastBlockReceived { get; set; }

    /// <summary>When we last unchoked it (for the choker's rotation).</summary>
    internal TimeSpan UnchokedAt { get; set; }

    internal bool HasPieceInformation { get; set; }

    /// <summary>Still one of the swarm's peers (false once closed), so a late message is ignored without a search.</summary>
    internal bool IsAttached { get; set; } = true;

    /// <summary>Written to since the last flush, and so in the swarm's list of peers to flush (set only by its MarkOutput).</summary>
    internal bool IsQueuedForFlush { get; set; }

    /// <summary>Something written since the last flush must go out at once (not only HAVE for a peer we choke).</summary>
    internal bool HasUrgentOutput { get; set; }

    /// <summary>BEP 10 <c>reqq</c>: how many requests the peer accepts queued.</summary>
    internal int PeerRequestQueue { get; set; }

    internal int QueueDepth { get; set; }

    /// <summary>When its blocks last waited unread in our socket (see <see cref="TorrentSwarm.OnUnreadBytes"/>).</summary>
    internal TimeSpan? ReceiverLimitedAt { get; set; }

    /// <summary>Since when every read has left more than the margin unread; null while reads drain the socket.</summary>
    internal TimeSpan? UnreadSince { get; set; }

    internal int BlocksSinceDepthGrew { get; set; }

    /// <summary>Our requests it has not answered, oldest first.</summary>
    internal OutstandingRequests Outstanding { get; } = new();

    /// <summary>Blocks it asked for that we queued and have not seen cancelled.</summary>
    internal int QueuedUploads { get; set; }

    /// <summary>BEP 6: pieces it lets us request while it chokes us.</summary>
    internal HashSet<int> AllowedFastFromPeer { get; } = [];

    /// <summary>BEP 6: pieces we let it request while we choke it.</summary>
    internal IReadOnlyList<int> AllowedFastForPeer { get; set; } = [];

    /// <summary>BEP 52 hashes sent it since the last tick.</summary>
    internal int HashesSentThisSecond { get; set; }

    /// <summary>Its BEP 52 leaf-hash requests waiting for a piece to be read and hashed.</summary>
    internal int PendingLeafRequests { get; set; }

    /// <summary>Initial seeding (BEP 16): what we showed it and offered it; null when we are not initial seeding.</summary>
    internal SeedOffers? Offers { get; set; }

    internal RateMeter DownloadMeter { get; } = new();

    internal RateMeter UploadMeter { get; } = new();

    internal bool CanRequest(int piece) => !PeerChoking || AllowedFastFromPeer.Contains(piece);

    public override string ToString() => $"{Address} ({Client ?? "unknown client"})";
}
