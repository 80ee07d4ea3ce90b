using System.Buffers;
using Shoal.Wire;

namespace Shoal.Tests.Swarm.Harness;

/// <summary>A decoded message with its payload copied out of the receive buffer, so a test can keep it.</summary>
internal sealed record WireMessage(bool IsKeepAlive, MessageId Id, int Index, int Begin, int Length, byte ExtendedId, byte[] Payload, ushort Port = 0)
{
    public static WireMessage From(in PeerMessage message) =>
        new(message.IsKeepAlive, message.Id, message.Index, message.Begin, message.Length, message.ExtendedId, message.Payload.ToArray(), message.Port);

    /// <summary>Every whole message in <paramref name="bytes"/>; trailing bytes of an unfinished message are an error.</summary>
    public static List<WireMessage> DecodeAll(ReadOnlyMemory<byte> bytes)
    {
        var reader = new PeerMessageReader();
        var sequence = new ReadOnlySequence<byte>(bytes);
        var messages = new List<WireMessage>();
        while (reader.TryRead(ref sequence, out PeerMessage message))
        {
            messages.Add(From(message));
        }

        Xunit.Assert.True(sequence.IsEmpty, $"{sequence.Length} bytes of an unfinished message were written");
        return messages;
    }

    public override string ToString() => IsKeepAlive ? "keep-alive" : $"{Id} {Index} {Begin} {Length}";
}
