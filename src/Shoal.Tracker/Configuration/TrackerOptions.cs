using System.Net;

namespace Shoal.Tracker.Configuration;

/// <summary>How a tracker instance runs: where it listens, what it stores, and what it answers.</summary>
public sealed record TrackerOptions
{
    /// <summary>The port number for both HTTP (TCP) and UDP (BEP 15); 0 picks a free one for both.</summary>
    public int Port { get; init; } = 6969;

    /// <summary>The address to listen on; <see cref="IPAddress.IPv6Any"/> also accepts IPv4.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.IPv6Any;

    /// <summary>Where the default SQLite database lives.</summary>
    public required string DataDirectory { get; init; }

    /// <summary><c>sqlite:PATH</c> or <c>postgres:CONNECTION-STRING</c>; SQLite in the data folder when not given.</summary>
    public string? Store { get; init; }

    /// <summary>Track only torrents registered in the file index (otherwise any info-hash).</summary>
    public bool Closed { get; init; }

    /// <summary>How often clients should announce (<c>interval</c>).</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How soon a client may announce again on its own (<c>min interval</c>).</summary>
    public TimeSpan MinAnnounceInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A peer that has not announced for this long has left: one and a half intervals and a minute.</summary>
    public TimeSpan PeerTimeout => (AnnounceInterval * 1.5) + TimeSpan.FromMinutes(1);

    /// <summary>Peers returned when the client does not say how many it wants.</summary>
    public int DefaultNumWant { get; init; } = 50;

    /// <summary>The most peers one answer carries, whatever <c>numwant</c> asks.</summary>
    public int MaxNumWant { get; init; } = 200;

    /// <summary>
    /// The most peers the tracker keeps in all (about 270 bytes each in memory); a new peer beyond it
    /// is refused until others stop or expire.
    /// </summary>
    public int MaxPeers { get; init; } = 1_000_000;

    /// <summary>The most peers the tracker keeps for one torrent; a new peer beyond it is refused.</summary>
    public int MaxPeersPerSwarm { get; init; } = 100_000;

    /// <summary>
    /// The most peers one IP address (an IPv6 /64) may have on the tracker, over all torrents; a new
    /// one beyond it is refused. Raise it for seedboxes that share an address.
    /// </summary>
    public int MaxPeersPerAddress { get; init; } = 2_000;

    /// <summary>
    /// The most UDP requests waiting for the store at once (PostgreSQL answers later; the in-memory swarms at
    /// once); a packet that comes while that many wait is dropped unread, as a busy C tracker's socket drops
    /// it, and the client sends it again (BEP 15).
    /// </summary>
    public int MaxPendingUdpRequests { get; init; } = 1_000;

    /// <summary>Announces and scrapes one IP address may make per minute (HTTP and UDP together); 0 for no limit.</summary>
    public int RequestsPerMinutePerAddress { get; init; } = 600;

    /// <summary>A PEM certificate (and <see cref="TlsKeyFile"/>, its key): HTTP is then served over TLS only, and announce URLs are https.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="TlsCertificateFile"/>; null when the certificate file holds it.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>The largest .torrent the file index accepts.</summary>
    public int MaxTorrentBytes { get; init; } = 10 << 20;

    /// <summary>Let anyone register torrents without logging in (still limited per address).</summary>
    public bool OpenRegistration { get; init; }

    /// <summary>Registrations one user may make per hour.</summary>
    public int RegistrationsPerHourPerUser { get; init; } = 60;

    /// <summary>Registrations one IP address (an IPv6 /64) may make per hour, whoever is logged in.</summary>
    public int RegistrationsPerHourPerAddress { get; init; } = 120;

    /// <summary>The most torrents one user may have registered in the file index.</summary>
    public int MaxTorrentsPerUser { get; init; } = 1000;

    /// <summary>The most groups one user may own.</summary>
    public int MaxGroupsPerUser { get; init; } = 100;
}
