using System.Net;
using System.Net.Sockets;
using Shoal.Net.Streams;

namespace Shoal.Net;

/// <summary>Opens the byte stream to a peer, before any handshake: the session's transports and how it uses them.</summary>
internal sealed class PeerConnector(bool tcp)
{
    public async Task<IPeerStream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        if (!tcp)
        {
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        }

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new TcpPeerStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
