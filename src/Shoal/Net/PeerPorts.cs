using System.Net;
using System.Net.Sockets;
using Shoal.Discovery;

namespace Shoal.Net;

/// <summary>
/// A session's port number: the TCP listener and, when the DHT runs, a UDP socket with the same number,
/// since peers learn one number for both (BEP 5's PORT message, trackers' <c>port</c>). Asked for any
/// port, it finds one free for both: the system picks a TCP port without looking at UDP, where another
/// program's socket may already hold that number.
/// </summary>
internal sealed class PeerPorts
{
    private const int Attempts = 20;

    private PeerPorts(PeerListener listener, Socket? udp, string? udpError)
    {
        Listener = listener;
        Udp = udp;
        UdpError = udpError;
    }

    public PeerListener Listener { get; }

    /// <summary>The bound UDP socket, for whoever takes it over; null without UDP or when its port was taken.</summary>
    public Socket? Udp { get; }

    /// <summary>Why the UDP port could not be had, when it was asked for.</summary>
    public string? UdpError { get; }

    public static PeerPorts Open(IPEndPoint tcp, bool withUdp)
    {
        for (int attempt = 1; ; attempt++)
        {
            var listener = new PeerListener(tcp);
            if (!withUdp)
            {
                return new PeerPorts(listener, null, null);
            }

            try
            {
                return new PeerPorts(listener, DualModeUdpSocket.Bind(listener.LocalEndPoint.Port), null);
            }
            catch (SocketException e) when (tcp.Port == 0 && attempt < Attempts && e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                listener.Dispose();
            }
            catch (SocketException e)
            {
                return new PeerPorts(listener, null, e.Message);
            }
        }
    }
}
