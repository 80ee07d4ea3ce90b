using System.Buffers;
using System.Net;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Tests.Swarm.Harness;

/// <summary>Messages a hostile peer might send (for <see cref="Swarm.SwarmFuzzTests"/>): well-formed ones with fields in and out of range, answers to the swarm's requests with right or wrong bytes.</summary>
internal sealed class HostileMessageGenerator(SwarmHarness harness, Random random, int honestPiecesBelow)
{
    private const int Block = PieceGeometry.BlockSize;
    private static readonly MessageId[] KnownIds = [.. Enum.GetValues<MessageId>()];
    private readonly int _pieceCount = harness.Torrent.PieceCount;
    private readonly ArrayBufferWriter<byte> _output = new();
    private readonly byte[] _noise = TempFolder.RandomBytes(256 * 1024, 3);

    /// <summary>Any id, known or not, with a random payload of a consistent length.</summary>
    public byte[] RandomId()
    {
        byte[] payload = new byte[random.Next(4) == 0 ? random.Next(200) : random.Next(14)];
        random.NextBytes(payload);
        byte id = random.Next(2) == 0 ? (byte)KnownIds[random.Next(KnownIds.Length)] : (byte)random.Next(256);
        return [.. BigEndian(payload.Length + 1), id, .. payload];
    }

    public byte[] Plausible(FuzzPeer peer)
    {
        _output.ResetWrittenCount();
        switch (random.Next(17))
        {
            case 0:
                PeerMessageWriter.WriteKeepAlive(_output);
                break;
            case 1:
                PeerMessageWriter.WriteSimple(_output, (MessageId)random.Next(4));
                break;
            case 2:
                PeerMessageWriter.WriteSimple(_output, random.Next(2) == 0 ? MessageId.HaveAll : MessageId.HaveNone);
                break;
            case 3:
                PeerMessageWriter.WriteIndex(_output, MessageId.Have, Index());
                break;
            case 4:
                PeerMessageWriter.WriteBitfield(_output, Bitfield());
                break;
            case 5:
            case 6:
                BlockRef request = Reference();
                PeerMessageWriter.WriteBlockReference(_output, MessageId.Request, request.Piece, request.Begin, request.Length);
                break;
            case 7:
            case 8:
            case 9:
                WritePiece(peer);
                break;
            case 10:
                BlockRef cancel = peer.Link.AcceptedBlocks.Count > 0 && random.Next(2) == 0 ? peer.Link.AcceptedBlocks[^1] : Reference();
                PeerMessageWriter.WriteBlockReference(_output, MessageId.Cancel, cancel.Piece, cancel.Begin, cancel.Length);
                break;
            case 11:
                BlockRef reject = peer.Requested.Count > 0 && random.Next(2) == 0 ? peer.Requested[random.Next(peer.Requested.Count)] : Reference();
                PeerMessageWriter.WriteBlockReference(_output, MessageId.RejectRequest, reject.Piece, reject.Begin, reject.Length);
                break;
            case 12:
                PeerMessageWriter.WriteIndex(_output, random.Next(2) == 0 ? MessageId.AllowedFast : MessageId.SuggestPiece, Index());
                break;
            case 13:
                PeerMessageWriter.WritePort(_output, (ushort)random.Next(65536));
                break;
            case 14:
            case 15:
                PeerMessageWriter.WriteExtended(_output, 0, ExtensionHandshakeBytes());
                break;
            default:
                byte[] payload = new byte[random.Next(100)];
                random.NextBytes(payload);
                PeerMessageWriter.WriteExtended(_output, (byte)random.Next(256), payload);
                break;
        }

        return _output.WrittenSpan.ToArray();
    }

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>Mostly valid piece indexes, sometimes just past the end or far out.</summary>
    private int Index() => random.Next(40) switch
    {
        0 => _pieceCount + random.Next(3),
        1 => random.Next(),
        _ => random.Next(_pieceCount),
    };

    private BlockRef Reference()
    {
        int piece = Index();
        int size = piece < _pieceCount ? harness.Torrent.PieceSize(piece) : 2 * Block;
        int blocks = PieceGeometry.BlockCount(size);
        return random.Next(20) switch
        {
            0 => new BlockRef(piece, random.Next(), random.Next()),
            1 => new BlockRef(piece, random.Next(size + 1), random.Next(1, 2 * Block)),
            _ => piece < _pieceCount ? harness.Block(piece, random.Next(blocks)) : new BlockRef(piece, 0, Block),
        };
    }

    private byte[] Bitfield()
    {
        int length = random.Next(20) switch
        {
            0 => random.Next(10),
            _ => PieceSet.ByteLengthFor(_pieceCount),
        };
        byte[] bits = new byte[length];
        random.NextBytes(bits);
        if (length > 0 && random.Next(10) > 0)
        {
            // Mostly keep the spare bits clear, so that the bitfield is accepted.
            int spare = (length * 8) - _pieceCount;
            if (spare is > 0 and < 8)
            {
                bits[^1] &= (byte)(0xFF << spare);
            }
        }

        return bits;
    }

    /// <summary>A block we asked for or not, with the right bytes or not, of the right length or not.</summary>
    private void WritePiece(FuzzPeer peer)
    {
        BlockRef block = peer.Requested.Count > 0 && random.Next(3) > 0 ? peer.Requested[random.Next(peer.Requested.Count)] : Reference();
        // Lengths from references far out of range are cut to at most two blocks: the message stays sendable.
        int length = random.Next(10) == 0 || block.Length > 2 * Block ? random.Next(2 * Block) : block.Length;
        byte[] data = new byte[length];
        // Pieces from honestPiecesBelow on never get their right bytes: only honest peers can finish those.
        if (block.Piece < honestPiecesBelow && block.Begin >= 0 && (long)block.Begin + data.Length <= harness.Torrent.PieceSize(block.Piece) && random.Next(4) > 0)
        {
            harness.Content.AsSpan((int)harness.Torrent.PieceOffset(block.Piece) + block.Begin, data.Length).CopyTo(data);
            if (data.Length > 0 && random.Next(3) == 0)
            {
                data[random.Next(data.Length)] ^= 0x55;
            }
        }
        else
        {
            // Seeded Random fills bytes slowly; a slice of pregenerated noise is as good and much faster.
            _noise.AsSpan(random.Next(_noise.Length - data.Length), data.Length).CopyTo(data);
        }

        PeerMessageWriter.WritePieceHeader(_output, block.Piece, block.Begin, data.Length);
        _output.Write(data);
    }

    private byte[] ExtensionHandshakeBytes()
    {
        var handshake = new ExtensionHandshake
        {
            Client = random.Next(2) == 0 ? null : new string((char)random.Next(32, 0x2FFF), random.Next(40)),
            ListenPort = random.Next(2) == 0 ? null : (ushort)random.Next(65536),
            RequestQueueDepth = random.Next(3) switch { 0 => null, 1 => random.Next(1, 10), _ => random.Next() },
            YourIp = random.Next(2) == 0 ? null : new IPAddress(random.Next(2) == 0 ? new byte[4] : new byte[16]),
            MetadataSize = random.Next(2) == 0 ? null : random.NextInt64(),
            Extensions = new Dictionary<string, byte> { ["ut_metadata"] = (byte)random.Next(256), ["x"] = 1 },
        };
        return handshake.Encode();
    }
}
