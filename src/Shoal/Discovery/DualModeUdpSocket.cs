using System.Net;
using System.Net.Sockets;

namespace Shoal.Discovery;

/// <summary>A UDP socket on every address, IPv6 and IPv4 alike, as the DHT (BEP 5, BEP 32) uses one.</summary>
public static class DualModeUdpSocket
{
    /// <summary>Binds <c>[::]:port</c> in dual mode; a port in use is a <see cref="SocketException"/>.</summary>
    public static Socket Bind(int port)
    {
        var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
