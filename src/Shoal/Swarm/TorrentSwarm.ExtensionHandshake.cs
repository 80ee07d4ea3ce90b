using System.Net;
using Shoal.Primitives;
using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>The most <c>yourip</c> reports kept between two takes: one per connection's handshake, the rest dropped.</summary>
    private const int MaxAddressReports = 64;

    private readonly List<(IPAddress Reporter, IPAddress Reported)> _addressReports = [];

    /// <summary>
    /// Our BEP 10 <c>p</c>: the port peers can dial us on (0 when not listening). It starts as the settings' and the
    /// session changes it when the router maps our port.
    /// </summary>
    public int ListenPort { get; set; }

    /// <summary>Our address as peers saw it (their BEP 10 <c>yourip</c>), with the peer that said it, since the last call.</summary>
    public IReadOnlyList<(IPAddress Reporter, IPAddress Reported)> TakeAddressReports()
    {
        (IPAddress, IPAddress)[] reports = [.. _addressReports];
        _addressReports.Clear();
        return reports;
    }

    private void OnExtensionHandshake(SwarmPeer peer, ExtensionHandshake handshake)
    {
        if (handshake.YourIp is { } yourIp && _addressReports.Count < MaxAddressReports)
        {
            _addressReports.Add((peer.Address, yourIp));
        }

        peer.Client = handshake.Client ?? peer.Client;
        peer.ListenPort = handshake.ListenPort ?? peer.ListenPort;
        peer.MetadataId = handshake.Extensions.GetValueOrDefault(MetadataMessage.ExtensionName, peer.MetadataId);
        peer.PexId = handshake.Extensions.GetValueOrDefault(PexMessage.ExtensionName, peer.PexId);
        peer.HolepunchId = handshake.Extensions.GetValueOrDefault(HolepunchMessage.ExtensionName, peer.HolepunchId);
        peer.SeesUsAt = handshake.YourIp ?? peer.SeesUsAt;
        peer.IsUploadOnly = handshake.UploadOnly;
        if (handshake.RequestQueueDepth is { } reqq)
        {
            peer.PeerRequestQueue = Math.Clamp(reqq, 1, _settings.MaxQueueDepth);
        }

        if (NeitherWantsTheOther(peer))
        {
            Disconnect(peer, "neither side wants anything from the other");
        }
    }

    private void SendExtensionHandshake(SwarmPeer peer)
    {
        var handshake = new ExtensionHandshake
        {
            Extensions = OurExtensions(),
            MetadataSize = _torrent.InfoBytes.IsEmpty ? null : _torrent.InfoBytes.Length,
            Client = ShoalVersion.CreatedBy,
            ListenPort = ListenPort is > 0 and <= ushort.MaxValue ? (ushort)ListenPort : null,
            RequestQueueDepth = _settings.MaxIncomingRequests,
            YourIp = IPv4Mapping.Unmap(peer.Address),
            UploadOnly = IsComplete && !Have.IsComplete,
        };
        PeerMessageWriter.WriteExtended(Output(peer), 0, handshake.Encode());
    }

    private Dictionary<string, byte> OurExtensions()
    {
        var extensions = new Dictionary<string, byte> { [MetadataMessage.ExtensionName] = LocalExtensionIds.UtMetadata };
        if (PexEnabled)
        {
            extensions[PexMessage.ExtensionName] = LocalExtensionIds.UtPex;
        }

        // BEP 55 relays and punches to peers met through PEX, so a private torrent (BEP 27) has neither.
        if (HolepunchEnabled)
        {
            extensions[HolepunchMessage.ExtensionName] = LocalExtensionIds.UtHolepunch;
        }

        return extensions;
    }
}
