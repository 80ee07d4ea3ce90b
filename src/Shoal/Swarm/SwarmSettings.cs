namespace Shoal.Swarm;

/// <summary>Tunables of one torrent's swarm logic; the defaults suit a home connection and loopback alike.</summary>
public sealed record SwarmSettings
{
    /// <summary>Our BEP 10 <c>p</c>: the port peers can dial us on (0 when not listening).</summary>
    public int ListenPort { get; init; }

    public ChokerSettings Choker { get; init; } = new();

    /// <summary>Requests kept in flight to a peer before its rate is known.</summary>
    public int InitialQueueDepth { get; init; } = 32;

    /// <summary>How many seconds of a peer's download rate to keep requested from it.</summary>
    public TimeSpan RequestQueueTime { get; init; } = TimeSpan.FromSeconds(2);

    public int MinQueueDepth { get; init; } = 4;

    public int MaxQueueDepth { get; init; } = 500;

    /// <summary>Our BEP 10 <c>reqq</c>: requests we accept queued from one peer; more are rejected.</summary>
    public int MaxIncomingRequests { get; init; } = 1000;

    /// <summary>A peer's queue when it sends no <c>reqq</c> (libtorrent's default).</summary>
    public int DefaultPeerRequestQueue { get; init; } = 250;

    /// <summary>A request unanswered this long goes back to the picker and the peer is snubbed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Bytes of downloaded blocks held in memory before they are verified and written.</summary>
    public long WriteCacheLimit { get; init; } = 16L * 1024 * 1024;

    /// <summary>Endgame: how many peers may be asked for the same block at once.</summary>
    public int EndgameDuplicates { get; init; } = 2;

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>BEP 6: pieces in the allowed-fast set we give each IPv4 peer.</summary>
    public int AllowedFastCount { get; init; } = 10;

    public static SwarmSettings Default { get; } = new();
}
