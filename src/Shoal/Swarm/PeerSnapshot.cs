using System.Net;

namespace Shoal.Swarm;

/// <summary>What the swarm knows of one connection at a moment, for progress displays and summaries.</summary>
public sealed record PeerSnapshot(
    IPAddress Address,
    int Port,
    string PeerId,
    string? Client,
    bool IsSeed,
    double Progress,
    long Downloaded,
    long Uploaded,
    long DownloadRate,
    long UploadRate,
    bool AmChoking,
    bool PeerChoking,
    bool IsSnubbed,
    bool AmInterested,
    bool PeerInterested,
    long QueuedBytes)
{
    /// <summary>BEP 19: the web seed's URL when this is one, not a peer (its address and port then mean nothing).</summary>
    public string? WebSeed { get; init; }

    /// <summary>TCP or uTP (BEP 29); meaningless for a web seed.</summary>
    public PeerTransport Transport { get; init; }

    /// <summary>Whether the connection's bytes are encrypted (MSE with RC4).</summary>
    public bool IsEncrypted { get; init; }
}
