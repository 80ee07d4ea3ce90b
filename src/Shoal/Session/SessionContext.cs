using System.Net;
using Shoal.Net;

namespace Shoal.Session;

/// <summary>
/// What a session's parts share: its options, our peer id and listening port, the announce key, the
/// session-wide rate buckets, connection slots and slots per address, the tracker clients, how peers are dialled, and how
/// peers reach us (the port to announce, the external address votes). Parts take this, never the session.
/// </summary>
internal sealed record SessionContext(
    SessionOptions Options,
    ReadOnlyMemory<byte> PeerId,
    int ListenPort,
    string TrackerKey,
    TokenBucket UploadBucket,
    TokenBucket DownloadBucket,
    ConnectionSlots ConnectionSlots,
    AddressSlots AddressSlots,
    TrackerClientFactory TrackerClients,
    PeerConnector Connector,
    SessionReachability Reachability)
{
    /// <summary>Connections the session may hold: <see cref="SessionOptions.MaxConnections"/> until a user changes it.</summary>
    public int MaxConnections
    {
        get => Volatile.Read(ref field);
        set => Volatile.Write(ref field, value);
    } = Options.MaxConnections;

    /// <summary>Connections each torrent may hold: <see cref="SessionOptions.MaxConnectionsPerTorrent"/> until a user changes it.</summary>
    public int ConnectionsPerTorrent
    {
        get => Volatile.Read(ref field);
        set => Volatile.Write(ref field, value);
    } = Options.MaxConnectionsPerTorrent;

    /// <summary>Where torrents hand the DHT nodes peers name in PORT messages (BEP 5); null without a DHT. Set once, before any torrent starts.</summary>
    public Action<IPEndPoint>? DhtContact { get; set; }

    public bool IsOurPeerId(ReadOnlySpan<byte> peerId) => peerId.SequenceEqual(PeerId.Span);

    /// <summary>A torrent's encryption: the session's, but a private torrent (BEP 27) requires it unless it is disabled.</summary>
    public EncryptionMode EncryptionFor(bool isPrivate) =>
        isPrivate && Options.Encryption == EncryptionMode.Prefer ? EncryptionMode.Require : Options.Encryption;
}
