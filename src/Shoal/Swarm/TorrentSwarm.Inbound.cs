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
            default:
                // Port (BEP 5), extension messages we did not advertise and BEP 52 hash messages are not used yet.
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

    /// <summary>
    /// A bitfield, have all or have none. BEP 3 and 6 send it once, first; a peer that sends another (aria2
    /// follows its have none with a bitfield) is taken at its latest word rather than dropped.
    /// </summary>
    private void SetPieceInformation(SwarmPeer peer, PieceSet pieces)
    {
        if (peer.HasPieceInformation)
        {
            _picker.AddAvailability(peer.Pieces, -1);
        }

        peer.HasPieceInformation = true;
        peer.Pieces = pieces;
        _picker.AddAvailability(pieces, +1);
        if (IsComplete && peer.IsSeed)
        {
            Disconnect(peer, "both sides are seeds");
            return;
        }

        UpdateInterest(peer);
    }

    private void OnHave(SwarmPeer peer, int piece)
    {
        peer.HasPieceInformation = true;
        if (!peer.Pieces.Set(piece))
        {
            return;
        }

        _picker.AddAvailability(piece);
        if (IsComplete && peer.IsSeed)
        {
            Disconnect(peer, "both sides are seeds");
            return;
        }

        if (!peer.AmInterested && !Have[piece])
        {
            UpdateInterest(peer);
        }
        else if (peer.AmInterested)
        {
            RequestBlocks(peer);
        }
    }

    private void OnExtensionHandshake(SwarmPeer peer, ExtensionHandshake handshake)
    {
        peer.Client = handshake.Client ?? peer.Client;
        peer.ListenPort = handshake.ListenPort ?? peer.ListenPort;
        peer.MetadataId = handshake.Extensions.GetValueOrDefault(MetadataMessage.ExtensionName, peer.MetadataId);
        peer.PexId = handshake.Extensions.GetValueOrDefault(PexMessage.ExtensionName, peer.PexId);
        if (handshake.RequestQueueDepth is { } reqq)
        {
            peer.PeerRequestQueue = Math.Clamp(reqq, 1, _settings.MaxQueueDepth);
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

    /// <summary>BEP 3 bitfield, or BEP 6 have all / have none; then BEP 6 allowed-fast pieces.</summary>
    private void SendPieceInformation(SwarmPeer peer)
    {
        IBufferWriter<byte> output = Output(peer);
        if (peer.SupportsFast && Have.IsComplete)
        {
            PeerMessageWriter.WriteSimple(output, MessageId.HaveAll);
        }
        else if (peer.SupportsFast && Have.IsEmpty)
        {
            PeerMessageWriter.WriteSimple(output, MessageId.HaveNone);
        }
        else if (!Have.IsEmpty)
        {
            PeerMessageWriter.WriteBitfield(output, Have.AsSpan());
        }

        if (peer.SupportsFast && !Have.IsEmpty)
        {
            peer.AllowedFastForPeer = AllowedFastSet.Compute(peer.Address, _torrent.InfoHashes.ForWire, _torrent.PieceCount, _settings.AllowedFastCount);
            foreach (int piece in peer.AllowedFastForPeer.Where(p => Have[p]))
            {
                PeerMessageWriter.WriteIndex(output, MessageId.AllowedFast, piece);
            }
        }
    }
}
