using System.Buffers;

namespace Shoal.Wire;

/// <summary>
/// One decoded peer wire message. Fields hold what the message's id carries; <see cref="Payload"/>
/// is a slice of the receive buffer (a bitfield, a block, an extension message), valid until the
/// buffer is advanced past it.
/// </summary>
public readonly record struct PeerMessage
{
    public bool IsKeepAlive { get; init; }

    public MessageId Id { get; init; }

    /// <summary>Piece index of have, request, piece, cancel, suggest, reject and allowed-fast messages.</summary>
    public int Index { get; init; }

    /// <summary>Byte offset within the piece of request, piece, cancel and reject messages.</summary>
    public int Begin { get; init; }

    /// <summary>Requested length of request, cancel and reject messages.</summary>
    public int Length { get; init; }

    /// <summary>BEP 5 DHT port of a port message.</summary>
    public ushort Port { get; init; }

    /// <summary>BEP 10 extension message id (0 is the extension handshake).</summary>
    public byte ExtendedId { get; init; }

    public ReadOnlySequence<byte> Payload { get; init; }

    public static PeerMessage KeepAlive { get; } = new() { IsKeepAlive = true };
}
