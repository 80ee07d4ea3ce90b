using System.Buffers;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Wire;

namespace Shoal.Swarm;

public sealed partial class TorrentSwarm
{
    /// <summary>The largest block a peer may ask for (libtorrent and most clients refuse more than 16 KiB; we allow some slack).</summary>
    private const int MaxRequestLength = 128 * 1024;

    /// <summary>Handles one message from a peer. A <see cref="PeerProtocolException"/> means the peer broke the protocol: close it.</summary>
    public void OnMessage(SwarmPeer peer, in PeerMessage message)
    {
        if (IsClosed || !peer.IsAttached)
        {
            return;
        }

        peer.LastReceived = Now;
        if (!message.IsKeepAlive)
        {
            Dispatch(peer, message);
        }
    }

    /// <summary>Sends what the handled messages produced; call after a batch of <see cref="OnMessage"/>.</summary>
    public void EndBatch() => FlushOutput();

    private void Dispatch(SwarmPeer peer, in PeerMessage message)
    {
        switch (message.Id)
        {
            case MessageId.Choke:
                peer.PeerChoking = true;
                if (!peer.SupportsFast)
                {
                    // BEP 3: a choke discards every pending request. BEP 6 peers reject them one by one instead.
                    ReleaseOutstanding(peer);
                }

                break;
            case MessageId.Unchoke:
                peer.PeerChoking = false;
                RequestBlocks(peer);
                break;
            case MessageId.Interested:
                peer.PeerInterested = true;
                if (peer.AmChoking && _choker.HasFreeSlot(_peers.Count(p => !p.AmChoking)))
                {
                    Unchoke(peer);
                }

                break;
            case MessageId.NotInterested:
                peer.PeerInterested = false;
                if (!peer.AmChoking)
                {
                    Choke(peer);
                    UnchokeWaitingPeer();
                }

                break;
            case MessageId.Have:
                OnHave(peer, CheckPiece(message.Index));
                break;
            case MessageId.Bitfield:
                SetPieceInformation(peer, BitfieldMessage.Decode(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray(), _torrent.PieceCount));
                break;
            case MessageId.HaveAll:
            case MessageId.HaveNone:
                RequireFast(peer, message.Id);
                var pieces = new PieceSet(_torrent.PieceCount);
                if (message.Id == MessageId.HaveAll)
                {
                    pieces.SetAll();
                }

                SetPieceInformation(peer, pieces);
                break;
            case MessageId.Request:
                OnRequest(peer, CheckBlock(message, MaxRequestLength, intoPadding: true));
                break;
            case MessageId.Piece:
                OnBlock(peer, CheckBlock(message with { Length = (int)message.Payload.Length }, PieceGeometry.BlockSize), message.Payload);
                break;
            case MessageId.Cancel:
                OnCancel(peer, CheckBlock(message, MaxRequestLength, intoPadding: true));
                break;
            case MessageId.RejectRequest:
                RequireFast(peer, message.Id);
                OnReject(peer, CheckBlock(message, MaxRequestLength));
                break;
            case MessageId.AllowedFast:
                RequireFast(peer, message.Id);
                peer.AllowedFastFromPeer.Add(CheckPiece(message.Index));
                if (peer.PeerChoking)
                {
                    RequestBlocks(peer);
                }

                break;
            case MessageId.SuggestPiece:
                // BEP 6: a hint only; rarest first already spreads our requests well.
                RequireFast(peer, message.Id);
                CheckPiece(message.Index);
                break;
            case MessageId.Extended when message.ExtendedId == 0:
                OnExtensionHandshake(peer, ExtensionHandshake.Parse(message.Payload.ToArray()));
                break;
            case MessageId.Extended when message.ExtendedId == LocalExtensionIds.UtMetadata:
                OnMetadataMessage(peer, MetadataMessage.Parse(message.Payload.ToArray()));
                break;
            case MessageId.Extended when message.ExtendedId == LocalExtensionIds.UtPex:
                OnPexMessage(peer, message.Payload.ToArray());
                break;
            case MessageId.Extended when message.ExtendedId == LocalExtensionIds.UtHolepunch:
                OnHolepunchMessage(peer, HolepunchMessage.Parse(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray()));
                break;
            case MessageId.HashRequest:
                OnHashRequest(peer, HashRequest.Read(message.Payload));
                break;
            case MessageId.Hashes:
                OnHashes(peer, HashesMessage.Read(message.Payload));
                break;
            case MessageId.HashReject:
                OnHashReject(peer, HashRequest.Read(message.Payload));
                break;
            case MessageId.Port:
                OnPort(peer, message.Port);
                break;
            default:
                // Extension messages we did not advertise.
                break;
        }
    }

    private static void RequireFast(SwarmPeer peer, MessageId id)
    {
        if (!peer.SupportsFast)
        {
            throw new PeerProtocolException($"the peer sent {id} without announcing the fast extension (BEP 6)");
        }
    }

    private int CheckPiece(int index) =>
        (uint)index < (uint)_torrent.PieceCount
            ? index
            : throw new PeerProtocolException($"piece index {index} is outside the torrent's {_torrent.PieceCount} pieces");

    /// <summary>
    /// Checks a block reference against piece <c>Index</c>. Requests may reach into the padding that aligns a
    /// v2 file's last piece (libtorrent asks for whole 16 KiB blocks there, and gets zeros past the file's end).
    /// </summary>
    private BlockRef CheckBlock(in PeerMessage message, int maxLength, bool intoPadding = false)
    {
        int piece = CheckPiece(message.Index);
        int size = intoPadding ? _torrent.AlignedPieceSize(piece) : _torrent.PieceSize(piece);
        if (message.Begin < 0 || message.Length <= 0 || message.Length > maxLength || message.Begin > size - message.Length)
        {
            throw new PeerProtocolException($"block {message.Begin}+{message.Length} does not fit piece {piece} of {size} bytes");
        }

        return new BlockRef(piece, message.Begin, message.Length);
    }
}
