using System.Buffers.Binary;

namespace Shoal.Net.Utp;

/// <summary>The packet types of BEP 29, in the high nibble of a packet's first byte.</summary>
internal enum UtpType : byte
{
    /// <summary>Data; always carries a payload.</summary>
    Data = 0,

    /// <summary>The last packet of one direction: its sequence number is the end of the stream.</summary>
    Fin = 1,

    /// <summary>An acknowledgement without data; it takes no sequence number.</summary>
    State = 2,

    /// <summary>The other end has no state for this connection.</summary>
    Reset = 3,

    /// <summary>Opens a connection.</summary>
    Syn = 4,
}

/// <summary>The 20-byte version 1 header of a uTP packet (BEP 29), all fields big-endian on the wire.</summary>
internal struct UtpHeader
{
    public UtpType Type;
    public ushort ConnectionId;
    public uint Timestamp;
    public uint TimestampDifference;
    public uint WindowSize;
    public ushort SeqNr;
    public ushort AckNr;
}

/// <summary>
/// Reads and writes uTP packets (BEP 29) on spans: the header, then a chain of extensions, of which only the
/// selective ack (type 1) is understood; others are skipped by their length, as the BEP asks.
/// </summary>
internal static class UtpPacket
{
    public const int HeaderSize = 20;
    public const byte Version = 1;
    public const byte SelectiveAckExtension = 1;

    /// <summary>
    /// The extension type our MTU probes are padded with: no client defines it (libtorrent knows 1 and 3, libutp 1
    /// and 2), so every one skips it by its length.
    /// </summary>
    public const byte PaddingExtension = 0x50;

    /// <summary>
    /// The longest selective ack we write: 1024 packets past ack_nr + 1, far beyond any window we keep. We read any
    /// length the extension's byte can give: libtorrent sends as many bytes as its reorder buffer spans, not a multiple
    /// of 4 as BEP 29 asks, and up to the room left in its packet.
    /// </summary>
    public const int MaxSelectiveAckLength = 128;

    /// <summary>
    /// Whether a datagram is a uTP packet rather than, say, a DHT message (a bencoded dictionary starts with 'd',
    /// 0x64, whose low nibble is 4, not the version): the first byte is <c>type &lt;&lt; 4 | 1</c> with type ≤ 4,
    /// and the header is whole.
    /// </summary>
    public static bool IsUtp(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderSize && (datagram[0] & 0x0F) == Version && datagram[0] >> 4 <= (int)UtpType.Syn;

    /// <summary>
    /// Parses a datagram: false when it is not a whole uTP version 1 packet, when an extension runs past the end,
    /// or when a selective ack is empty. A selective ack of any other length is read (libtorrent's are rarely a multiple of 4).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out UtpHeader header, out ReadOnlySpan<byte> selectiveAck, out ReadOnlySpan<byte> payload)
    {
        header = default;
        selectiveAck = default;
        payload = default;
        if (!IsUtp(datagram))
        {
            return false;
        }

        header.Type = (UtpType)(datagram[0] >> 4);
        byte extension = datagram[1];
        header.ConnectionId = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        header.Timestamp = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        header.TimestampDifference = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        header.WindowSize = BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]);
        header.SeqNr = BinaryPrimitives.ReadUInt16BigEndian(datagram[16..]);
        header.AckNr = BinaryPrimitives.ReadUInt16BigEndian(datagram[18..]);

        // Each extension takes at least 2 bytes, so the chain ends within the datagram.
        int offset = HeaderSize;
        while (extension != 0)
        {
            if (offset + 2 > datagram.Length)
            {
                return false;
            }

            byte next = datagram[offset];
            int length = datagram[offset + 1];
            offset += 2;
            if (offset + length > datagram.Length)
            {
                return false;
            }

            if (extension == SelectiveAckExtension)
            {
                if (length == 0)
                {
                    return false;
                }

                selectiveAck = datagram.Slice(offset, length);
            }

            offset += length;
            extension = next;
        }

        payload = datagram[offset..];
        return true;
    }

    /// <summary>The bytes the header and a selective ack of <paramref name="selectiveAckLength"/> bytes (0 for none) take.</summary>
    public static int HeaderLength(int selectiveAckLength) => HeaderSize + (selectiveAckLength == 0 ? 0 : 2 + selectiveAckLength);

    /// <summary>Writes the header and the selective ack, if any, at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, in UtpHeader header, ReadOnlySpan<byte> selectiveAck)
    {
        if (selectiveAck.Length % 4 != 0 || selectiveAck.Length > MaxSelectiveAckLength)
        {
            throw new ArgumentException("A selective ack is a multiple of 4 bytes, at most 128.", nameof(selectiveAck));
        }

        int length = HeaderLength(selectiveAck.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is too short for the header.", nameof(destination));
        }

        destination[0] = (byte)((int)header.Type << 4 | Version);
        destination[1] = selectiveAck.IsEmpty ? (byte)0 : SelectiveAckExtension;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], header.ConnectionId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], header.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], header.TimestampDifference);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], header.WindowSize);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], header.SeqNr);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], header.AckNr);
        if (!selectiveAck.IsEmpty)
        {
            destination[20] = 0;
            destination[21] = (byte)selectiveAck.Length;
            selectiveAck.CopyTo(destination[22..]);
        }

        return length;
    }

    /// <summary>
    /// Writes a chain of <see cref="PaddingExtension"/> extensions filling <paramref name="destination"/> exactly (at
    /// least 2 bytes), its last link ending the chain (the header's extension byte names the first). A receiver skips unknown extensions by their length (BEP 29), so padding makes a packet of any size
    /// from one whose payload is smaller: an MTU probe. Cut anywhere short of its end, the chain runs past the
    /// datagram, so a receiver that truncates a datagram finds it invalid rather than taking a shortened payload.
    /// </summary>
    public static void WritePadding(Span<byte> destination)
    {
        if (destination.Length < 2)
        {
            throw new ArgumentException("Padding takes at least 2 bytes.", nameof(destination));
        }

        while (!destination.IsEmpty)
        {
            // A link is 2 bytes and up to 255 more; a last one of 1 byte cannot be, so the one before it gives a byte.
            int take = Math.Min(destination.Length, 257);
            if (destination.Length - take == 1)
            {
                take--;
            }

            destination[0] = destination.Length > take ? PaddingExtension : (byte)0;
            destination[1] = (byte)(take - 2);
            destination[2..take].Clear();
            destination = destination[take..];
        }
    }

    /// <summary>Whether the selective ack marks <c>ack_nr + 2 + index</c> as received: byte index/8, least significant bit first (BEP 29).</summary>
    public static bool IsSelectivelyAcked(ReadOnlySpan<byte> selectiveAck, int index) =>
        (selectiveAck[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>Marks <c>ack_nr + 2 + index</c> as received in a selective ack being built.</summary>
    public static void SetSelectivelyAcked(Span<byte> selectiveAck, int index) =>
        selectiveAck[index >> 3] |= (byte)(1 << (index & 7));
}
