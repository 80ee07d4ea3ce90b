namespace Shoal.Swarm;

/// <summary>Tunables of one torrent's swarm logic; the defaults suit a home connection and loopback alike.</summary>
public sealed record SwarmSettings
{
    /// <summary>Our BEP 10 <c>p</c> at the start: the port peers can dial us on (0 when not listening); see <see cref="TorrentSwarm.ListenPort"/>.</summary>
    public int ListenPort { get; init; }

    /// <summary>Our DHT node's UDP port at the start, sent in a PORT message to each peer whose handshake has the DHT bit (BEP 5); 0 without a DHT; see <see cref="TorrentSwarm.DhtPort"/>.</summary>
    public int DhtPort { get; init; }

    public ChokerSettings Choker { get; init; } = new();

    /// <summary>Requests kept in flight to a peer before its rate is known.</summary>
    public int InitialQueueDepth { get; init; } = 32;

    /// <summary>
    /// Where slow start (one more request per block answered) stops; beyond it only the measured rate grows a
    /// pipeline, at the next tick. On loopback slow start doubles the pipeline every few hundred microseconds, to
    /// hundreds of blocks before a backlog can show, and a kill then loses them all.
    /// </summary>
    public int SlowStartLimit { get; init; } = 64;

    /// <summary>How many seconds of a peer's download rate to keep requested from it.</summary>
    public TimeSpan RequestQueueTime { get; init; } = TimeSpan.FromSeconds(2);

    public int MinQueueDepth { get; init; } = 4;

    /// <summary>
    /// Bytes from a peer that may wait unread in our socket before its pipeline is cut back to what is in transit:
    /// more only lengthens that queue (we, not the path, are the bottleneck), and all of it is lost if we are killed.
    /// </summary>
    public int UnreadBytesMargin { get; init; } = 64 * 1024;

    /// <summary>
    /// How long blocks from a peer across a network must keep waiting unread, read after read, before the pipeline is
    /// cut. TCP hands over at once all it received after a lost segment when the segment is resent, so on a lossy path
    /// every loss leaves a burst unread for a moment; that burst is read in milliseconds and says nothing of our speed.
    /// A reader that is the bottleneck (disk, hashing) leaves bytes waiting read after read. Cutting on a burst kept a
    /// 50 ms, 1 % loss path at a seventh of what it carries (issue 16's lab). A loopback peer loses nothing, so its
    /// backlog is always ours and is cut at once: waiting even 20 ms there let the pipeline grow enough that a killed
    /// download fetched 2.85 pieces again per kill, over issue 13's bound of 2.
    /// </summary>
    public TimeSpan UnreadBytesPersistence { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The pipeline a cut leaves at the least: requests still go out in batches of several blocks, so each side's loop
    /// wakes once per batch (on loopback, smaller pipelines cost a fifth of the speed).
    /// </summary>
    public int ReceiverLimitedQueueDepth { get; init; } = 24;

    /// <summary>How long after a cut a peer's pipeline grows only by one block per pipeline's worth of blocks.</summary>
    public TimeSpan ReceiverLimitedHold { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxQueueDepth { get; init; } = 500;

    /// <summary>Our BEP 10 <c>reqq</c>: requests we accept queued from one peer; more are rejected.</summary>
    public int MaxIncomingRequests { get; init; } = 1000;

    /// <summary>BEP 19: blocks requested from one web seed at most (its HTTP requests are few; this bounds what waits for them).</summary>
    public int WebSeedRequestQueue { get; init; } = 64;

    /// <summary>A peer's queue when it sends no <c>reqq</c> (libtorrent's default).</summary>
    public int DefaultPeerRequestQueue { get; init; } = 250;

    /// <summary>A request unanswered this long goes back to the picker and the peer is snubbed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Bytes of downloaded blocks held in memory before they are verified and written.</summary>
    public long WriteCacheLimit { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// Bytes of complete pieces that may wait for the checker before no new piece is started. It writes each piece at once and
    /// verifies those written in batches of up to <see cref="CheckBatchBytes"/>, sixteen at a time in AVX-512 lanes where the
    /// processor has them (2.5 times the speed of one SHA-1 at a time); held in memory until verified, within <see cref="WriteCacheLimit"/>.
    /// </summary>
    public long CheckQueueLimit { get; init; } = 12L * 1024 * 1024;

    /// <summary>
    /// Most bytes of pieces verified together: two thirds of <see cref="CheckQueueLimit"/> (sixteen 512 KiB pieces at the
    /// default), so that pieces keep coming while a batch is hashed.
    /// </summary>
    public long CheckBatchBytes => CheckQueueLimit / 3 * 2;

    /// <summary>
    /// Bytes of complete pieces the checker has not yet written before no new piece is started: these are lost if we are
    /// killed (issue 13: at most two pieces fetched again per kill), while written ones are found and hashed at the next start.
    /// </summary>
    public long UnwrittenLimit { get; init; } = 1024 * 1024;

    /// <summary>Endgame: how many peers may be asked for the same block at once.</summary>
    public int EndgameDuplicates { get; init; } = 2;

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>BEP 6: pieces in the allowed-fast set we give each IPv4 peer.</summary>
    public int AllowedFastCount { get; init; } = 10;

    /// <summary>
    /// Initial seeding (BEP 16 super-seeding) when the swarm starts with every piece: each piece is offered to one
    /// peer at a time until every piece is on some peer (see <see cref="InitialSeeding"/>).
    /// </summary>
    public bool InitialSeeding { get; init; }

    /// <summary>Initial seeding: bytes of offers an unchoked peer is kept at beyond those it asked for (at least one piece).</summary>
    public long InitialSeedingOfferAhead { get; init; } = 512 * 1024;

    /// <summary>Initial seeding: an offer left unasked this long goes to another peer.</summary>
    public TimeSpan InitialSeedingOfferTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static SwarmSettings Default { get; } = new();
}
