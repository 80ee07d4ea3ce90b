using System.Globalization;
using Shoal.Tracker.Configuration;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// The most peers a tracker keeps: in all, in one swarm, and from one address (an IPv4 address or an
/// IPv6 /64) across every swarm. A new peer beyond one of them is refused with the matching failure
/// reason; a known peer's announce always refreshes it.
/// </summary>
public sealed record PeerCaps(int Total, int PerSwarm, int PerAddress)
{
    // Made once: under a flood every refused announce would otherwise format its own.
    public string TrackerFull { get; } = string.Create(CultureInfo.InvariantCulture, $"this tracker holds the most peers it keeps ({Total:N0}): try again later");

    public string SwarmFull { get; } = string.Create(CultureInfo.InvariantCulture, $"this torrent has the most peers the tracker keeps for one torrent ({PerSwarm:N0}): try again later");

    public string AddressFull { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"your address already has {PerAddress:N0} peers on this tracker, the most one address (or IPv6 /64) may have: stop some torrents or wait until old entries expire");

    public static PeerCaps From(TrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PeerCaps(options.MaxPeers, options.MaxPeersPerSwarm, options.MaxPeersPerAddress);
    }
}
