namespace Shoal.Net;

/// <summary>Who told us our external address.</summary>
public enum ExternalAddressSource
{
    /// <summary>The router, through port mapping (NAT-PMP's external address request, PCP's MAP answer, UPnP IGD).</summary>
    Gateway,

    /// <summary>Trackers' <c>external ip</c> (BEP 24).</summary>
    Tracker,

    /// <summary>Peers' <c>yourip</c> in the extension handshake (BEP 10).</summary>
    Peers,

    /// <summary>DHT nodes' <c>ip</c> in their answers (BEP 42).</summary>
    Dht,
}
