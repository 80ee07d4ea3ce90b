using Shoal.Primitives;
using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    private void OnExtensionHandshake(SwarmPeer peer, ExtensionHandshake handshake)
    {
        peer.Client = handshake.Client ?? peer.Client;
        peer.ListenPort = handshake.ListenPort ?? peer.ListenPort;
        peer.MetadataId = handshake.Extensions.GetValueOrDefault(MetadataMessage.ExtensionName, peer.MetadataId);
        peer.PexId = handshake.Extensions.GetValueOrDefault(PexMessage.ExtensionName, peer.PexId);
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
            ListenPort = _settings.ListenPort is > 0 and <= ushort.MaxValue ? (ushort)_settings.ListenPort : null,
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

        return extensions;
    }
}
