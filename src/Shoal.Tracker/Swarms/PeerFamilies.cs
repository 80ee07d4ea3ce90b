namespace Shoal.Tracker.Swarms;

/// <summary>
/// The address families an answer carries: HTTP gives both (<c>peers</c> and BEP 7 <c>peers6</c>);
/// a BEP 15 UDP answer has one entry size, that of the socket the request came in on.
/// </summary>
[Flags]
public enum PeerFamilies
{
    IPv4 = 1,
    IPv6 = 2,
    Both = IPv4 | IPv6,
}
