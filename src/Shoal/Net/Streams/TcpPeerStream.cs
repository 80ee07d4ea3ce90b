using System.Net;
using System.Net.Sockets;
using Shoal.Swarm;

namespace Shoal.Net.Streams;

/// <summary>A connected TCP socket as a peer stream; disposing it closes the socket.</summary>
internal sealed class TcpPeerStream(Socket socket) : IPeerStream
{
    public IPEndPoint Remote { get; } = (IPEndPoint)socket.RemoteEndPoint!;

    public PeerTransport Transport => PeerTransport.Tcp;

    public bool IsEncrypted => false;

    public int Available => socket.Available;

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

    /// <summary>
    /// A zero-byte read can also complete with nothing to read (seen on Linux right after a burst); that wake-up is not
    /// taken as data, or the connection would then wait in a real read holding a receive buffer.
    /// </summary>
    public async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);

            // Readable with nothing available is the end of the stream, which the real read reports.
            if (socket.Available > 0 || socket.Poll(0, SelectMode.SelectRead))
            {
                return;
            }
        }
    }

    public async ValueTask SendAsync(Memory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    public void Dispose() => socket.Dispose();
}
