using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>
/// Our external address as the nodes that answer us report it (BEP 42's <c>ip</c>): one vote per responding address, the
/// latest from each, the oldest voters forgotten beyond a bound. No single node is trusted (BEP 42): an address wins once
/// at least <c>quorum</c> voters name it and more name it than any other. IPv4 first: one id serves both DHTs (BEP 32)
/// and most nodes are IPv4, so votes of one family swaying against the other must not change our id back and forth.
/// </summary>
internal sealed class DhtAddressVotes(int quorum, int maxVoters)
{
    private readonly LatestVotes<IPAddress> _votes = new(maxVoters);

    /// <summary>The winning address, or null while none has a quorum.</summary>
    public IPAddress? Leader { get; private set; }

    public int Voters => _votes.Count;

    /// <summary>
    /// Counts <paramref name="voter"/>'s report that we are at <paramref name="reported"/>. A local address is not an
    /// external one (a node on our network sees us by it), so it does not count.
    /// </summary>
    public void Add(IPAddress voter, IPAddress reported)
    {
        voter = IPv4Mapping.Unmap(voter);
        reported = IPv4Mapping.Unmap(reported);
        if (AddressScope.IsLocal(reported) || reported.Equals(IPAddress.Any) || reported.Equals(IPAddress.IPv6Any))
        {
            return;
        }

        _votes.Set(voter, reported);
        Leader = Count();
    }

    private IPAddress? Count() => Winner(AddressFamily.InterNetwork) ?? Winner(AddressFamily.InterNetworkV6);

    // A tie keeps the leader it is about: an address does not lose its place to one that only draws level.
    private IPAddress? Winner(AddressFamily family)
    {
        var tally = _votes.Votes.Values.Where(a => a.AddressFamily == family).CountBy(a => a).OrderByDescending(p => p.Value).Take(2).ToList();
        bool clear = tally.Count > 0 && tally[0].Value >= quorum && (tally.Count == 1 || tally[0].Value > tally[1].Value);
        return clear ? tally[0].Key : Leader?.AddressFamily == family ? Leader : null;
    }
}
