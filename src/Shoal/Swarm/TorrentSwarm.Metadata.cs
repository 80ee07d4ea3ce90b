using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>
    /// BEP 9: serves the info dictionary in 16 KiB pieces. Private torrents serve it too: BEP 27 turns off
    /// peer sources (DHT, PEX, LSD), not metadata exchange.
    /// </summary>
    private void OnMetadataMessage(SwarmPeer peer, MetadataMessage message)
    {
        if (message.Type != MetadataMessageType.Request || peer.MetadataId == 0)
        {
            return;
        }

        ReadOnlyMemory<byte> info = _torrent.InfoBytes;
        long offset = (long)message.Piece * MetadataMessage.PieceSize;
        MetadataMessage answer = offset < info.Length
            ? MetadataMessage.DataPiece(message.Piece, info.Length, info.Slice((int)offset, (int)Math.Min(MetadataMessage.PieceSize, info.Length - offset)))
            : MetadataMessage.Reject(message.Piece);
        PeerMessageWriter.WriteExtended(Output(peer), peer.MetadataId, answer.Encode());
    }
}
