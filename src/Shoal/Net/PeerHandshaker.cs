using Shoal.Net.Streams;
using Shoal.Wire;

namespace Shoal.Net;

/// <summary>Exchanges the 68-byte BEP 3 handshakes on a fresh stream, bounded by a timeout.</summary>
internal static class PeerHandshaker
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<Handshake> ReadAsync(IPeerStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Handshake.Length];
        int filled = 0;
        while (true)
        {
            if (Handshake.TryRead(buffer.AsSpan(0, filled), out Handshake? handshake))
            {
                return handshake!;
            }

            int received = await stream.ReceiveAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (received == 0)
            {
                throw new PeerProtocolException("the peer closed the connection during the handshake");
            }

            filled += received;
        }
    }

    public static async Task WriteAsync(IPeerStream stream, Handshake handshake, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Handshake.Length];
        handshake.WriteTo(buffer);
        await stream.SendAsync(buffer, cancellationToken).ConfigureAwait(false);
    }
}
