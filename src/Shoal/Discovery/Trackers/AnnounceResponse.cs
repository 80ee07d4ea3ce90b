using System.Net;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// A tracker's answer to an announce (BEP 3). When <see cref="FailureReason"/> is set the request
/// failed and the other members carry nothing.
/// </summary>
public sealed record AnnounceResponse
{
    /// <summary>Seconds the client should wait between regular announces.</summary>
    public int Interval { get; init; }

    /// <summary>Seconds the client must at least wait before announcing again.</summary>
    public int? MinInterval { get; init; }

    /// <summary>Seeders in the swarm.</summary>
    public int? Complete { get; init; }

    /// <summary>Leechers in the swarm.</summary>
    public int? Incomplete { get; init; }

    /// <summary>Peers to connect to, IPv4 and IPv6.</summary>
    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];

    /// <summary>Why the request failed (BEP 3 <c>failure reason</c>).</summary>
    public string? FailureReason { get; init; }

    /// <summary>A warning that does not fail the request.</summary>
    public string? WarningMessage { get; init; }

    /// <summary>A value the client sends back as <c>trackerid</c> on its next announces.</summary>
    public string? TrackerId { get; init; }

    /// <summary>Our address as the tracker saw it (BEP 24 <c>external ip</c>, 4 or 16 bytes).</summary>
    public IPAddress? ExternalIp { get; init; }

    /// <summary>A response that carries only a failure reason.</summary>
    public static AnnounceResponse Failure(string reason) => new() { FailureReason = reason };
}
