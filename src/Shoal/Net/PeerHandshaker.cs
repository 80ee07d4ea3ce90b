using System.Net.Sockets;
using Shoal.Wire;

namespace Shoal.Net;

/// <summary>Exchanges the 68-byte BEP 3 handshakes on a fresh socket, bounded by a timeout.</summary>
internal static class PeerHandshaker
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<Handshake> ReadAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Handshake.Length];
        int filled = 0;
        while (true)
        {
            if (Handshake.TryRead(buffer.AsSpan(0, filled), out Handshake? handshake))
            {
                return handshake!;
            }

            int received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                throw new PeerProtocolException("the peer closed the connection during the handshake");
            }

            filled += received;
        }
    }

    public static async Task WriteAsync(Socket socket, Handshake handshake, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Handshake.Length];
        handshake.WriteTo(buffer);
        await socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
    }
}
