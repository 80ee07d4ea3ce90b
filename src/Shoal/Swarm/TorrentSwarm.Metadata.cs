using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>How many 16 KiB answers' worth of bytes a peer may leave unread before its metadata requests are rejected.</summary>
    private const int MaxUnsentMetadataAnswers = 4;

    /// <summary>
    /// BEP 9: serves the info dictionary in 16 KiB pieces. Private torrents serve it too: BEP 27 turns off
    /// peer sources (DHT, PEX, LSD), not metadata exchange. An answer is open until it is sent: a peer that
    /// asks without reading gets a reject (BEP 9 lets us refuse any request) once a few answers wait unsent,
    /// so a flood of 40-byte requests cannot make us queue 16 KiB for each.
    /// </summary>
    private void OnMetadataMessage(SwarmPeer peer, MetadataMessage message)
    {
        if (message.Type != MetadataMessageType.Request || peer.MetadataId == 0)
        {
            return;
        }

        ReadOnlyMemory<byte> info = _torrent.InfoBytes;
        long offset = (long)message.Piece * MetadataMessage.PieceSize;
        bool backlogged = peer.Link.QueuedBytes >= MaxUnsentMetadataAnswers * MetadataMessage.PieceSize;
        MetadataMessage answer = offset < info.Length && !backlogged
            ? MetadataMessage.DataPiece(message.Piece, info.Length, info.Slice((int)offset, (int)Math.Min(MetadataMessage.PieceSize, info.Length - offset)))
            : MetadataMessage.Reject(message.Piece);
        PeerMessageWriter.WriteExtended(Output(peer), peer.MetadataId, answer.Encode());
    }
}
