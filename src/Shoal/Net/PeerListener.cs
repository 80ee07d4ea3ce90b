using System.Net;
using System.Net.Sockets;

namespace Shoal.Net;

/// <summary>The one TCP listening socket all torrents share; an IPv6 "any" address also accepts IPv4.</summary>
internal sealed class PeerListener : IDisposable
{
    private readonly Socket _socket;

    public PeerListener(IPEndPoint endPoint)
    {
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                _socket.DualMode = true;
            }

            _socket.Bind(endPoint);
            _socket.Listen(128);

            // Set once the port is ours alone (bound without it, a port another socket shares is refused): a BEP 55
            // hole punch dials TCP from this port, which binding needs (on Linux, .NET sets SO_REUSEPORT with it).
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw new NetworkException($"cannot listen on {endPoint}: {e.Message}", e.SocketErrorCode == SocketError.AddressAlreadyInUse);
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Accepts until disposed, handing each socket to <paramref name="accepted"/> without waiting for it.</summary>
    public async Task AcceptLoopAsync(Func<Socket, Task> accepted)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!_socket.IsBound)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            socket.NoDelay = true;
            _ = accepted(socket);
        }
    }

    public void Dispose() => _socket.Dispose();
}
