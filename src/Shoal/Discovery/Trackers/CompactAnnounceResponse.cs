namespace Shoal.Discovery.Trackers;

/// <summary>
/// A successful announce answer whose peers are already in compact form, as a tracker samples them:
/// <see cref="Peers4"/> holds 6-byte IPv4 entries (BEP 23 <c>peers</c>), <see cref="Peers6"/> 18-byte
/// IPv6 entries (BEP 7 <c>peers6</c>). <see cref="AnnounceResponseCodec.Write"/> copies them as they are.
/// </summary>
/// <param name="Interval">Seconds the client should wait between regular announces.</param>
/// <param name="Peers4">IPv4 peers, 4-byte address and 2-byte port each, in network byte order.</param>
/// <param name="Peers6">IPv6 peers, 16-byte address and 2-byte port each, in network byte order.</param>
public readonly record struct CompactAnnounceResponse(int Interval, ReadOnlyMemory<byte> Peers4, ReadOnlyMemory<byte> Peers6)
{
    /// <summary>Seconds the client must at least wait before announcing again.</summary>
    public int? MinInterval { get; init; }

    /// <summary>Seeders in the swarm.</summary>
    public int? Complete { get; init; }

    /// <summary>Leechers in the swarm.</summary>
    public int? Incomplete { get; init; }

    /// <summary>Finished downloads the swarm has seen (<c>downloaded</c>, as in a BEP 48 scrape).</summary>
    public long? Downloaded { get; init; }

    /// <summary>A warning that does not fail the request.</summary>
    public string? WarningMessage { get; init; }

    /// <summary>A value the client sends back as <c>trackerid</c> on its next announces.</summary>
    public string? TrackerId { get; init; }
}
