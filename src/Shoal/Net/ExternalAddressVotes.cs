using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Net;

/// <summary>
/// Our address as the internet sees it, from what others say. The gateway's word wins when it is a public address (a
/// router behind another NAT knows only its own private one); otherwise the address most distinct reporters (peers,
/// trackers, DHT nodes) agree on, IPv4 before IPv6. A reporter's newer word replaces its older; at most
/// <see cref="MaxReporters"/> are kept, the oldest forgotten first, so no crowd of peers can grow this.
/// </summary>
public sealed class ExternalAddressVotes
{
    public const int MaxReporters = 256;

    private readonly Lock _lock = new();
    private readonly LatestVotes<(ExternalAddressSource Source, string Reporter)> _votes = new(MaxReporters);
    private IPAddress? _gateway;

    /// <summary>Raised, off any lock, when <see cref="Current"/> changes.</summary>
    public event Action? Changed;

    /// <summary>The address and who said it, or null while nobody has.</summary>
    public (IPAddress Address, ExternalAddressSource Source)? Current
    {
        get
        {
            lock (_lock)
            {
                return Decide();
            }
        }
    }

    /// <summary>
    /// <paramref name="reporter"/> (a peer's or node's address, a tracker's URL, the gateway's address) says our address is
    /// <paramref name="address"/>. Unspecified, loopback and multicast addresses say nothing and are ignored.
    /// </summary>
    public void Report(IPAddress address, ExternalAddressSource source, string reporter)
    {
        IPAddress reported = IPv4Mapping.Unmap(address);
        if (IPAddress.IsLoopback(reported) || reported.Equals(IPAddress.Any) || reported.Equals(IPAddress.IPv6Any) || IsMulticast(reported))
        {
            return;
        }

        bool changed;
        lock (_lock)
        {
            var before = Decide();
            if (source == ExternalAddressSource.Gateway)
            {
                _gateway = reported;
            }
            else
            {
                _votes.Set((source, reporter), reported);
            }

            changed = !Equals(before, Decide());
        }

        if (changed)
        {
            Changed?.Invoke();
        }
    }

    /// <summary>Neither local (<see cref="AddressScope.IsLocal"/>) nor multicast: an address the internet routes.</summary>
    public static bool IsPublic(IPAddress address) => !AddressScope.IsLocal(address) && !IsMulticast(IPv4Mapping.Unmap(address));

    private static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? address.IsIPv6Multicast : address.GetAddressBytes()[0] >= 224;

    private (IPAddress, ExternalAddressSource)? Decide()
    {
        if (_gateway is not null && IsPublic(_gateway))
        {
            return (_gateway, ExternalAddressSource.Gateway);
        }

        var winner = _votes.Votes
            .GroupBy(v => v.Value)
            .OrderByDescending(g => g.Key.AddressFamily == AddressFamily.InterNetwork)
            .ThenByDescending(g => g.Count())
            .FirstOrDefault();
        if (winner is null)
        {
            return _gateway is null ? null : (_gateway, ExternalAddressSource.Gateway);
        }

        // Said by the source that said it most.
        ExternalAddressSource source = winner.GroupBy(v => v.Key.Source).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        return (winner.Key, source);
    }
}
