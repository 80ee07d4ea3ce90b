using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Tests.Session;

/// <summary>
/// An attacker that connects, asks for metadata piece 0 again and again and never reads a byte, then says
/// it is interested: once the victim shows it interested, every request before was handled.
/// </summary>
internal sealed class MetadataFloodPeer : IDisposable
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };

    public async Task FloodAsync(IPEndPoint victim, InfoHashes hashes, int requests, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(victim, cancellationToken);
        var output = new ArrayBufferWriter<byte>();
        byte[] handshake = new byte[Handshake.Length];
        new Handshake(ReservedBits.MetadataOnly, hashes.ForWire, "-FK0000-metadataflood"u8[..20].ToArray()).WriteTo(handshake);
        output.Write(handshake);
        PeerMessageWriter.WriteExtended(output, 0, new ExtensionHandshake
        {
            Extensions = new Dictionary<string, byte> { [MetadataMessage.ExtensionName] = 1 },
        }.Encode());
        byte[] request = MetadataMessage.Request(0).Encode();
        for (int i = 0; i < requests; i++)
        {
            PeerMessageWriter.WriteExtended(output, LocalExtensionIds.UtMetadata, request);
        }

        PeerMessageWriter.WriteSimple(output, MessageId.Interested);
        await _socket.SendAsync(output.WrittenMemory, SocketFlags.None, cancellationToken);
    }

    public void Dispose() => _socket.Dispose();
}
