using System.Net;
using System.Net.Sockets;
using Shoal.Discovery;

namespace Shoal.Net;

/// <summary>
/// A session's port number: the TCP listener and, when the DHT or uTP runs, a UDP socket with the same number,
/// since peers learn one number for both (BEP 5's PORT message, trackers' <c>port</c>). Asked for any
/// port, it finds one free for both: the system picks a TCP port without looking at UDP, where another
/// program's socket may already hold that number. Asked for a port with fallback, it takes the first of that
/// port and the ones after it that is free for both, so a second client on the machine still gets a stable
/// number (mappings on the router and peers' caches of our address depend on it).
/// </summary>
internal sealed class PeerPorts
{
    private const int Attempts = 20;

    private PeerPorts(PeerListener listener, Socket? udp, string? udpError, int requestedPort)
    {
        Listener = listener;
        Udp = udp;
        UdpError = udpError;
        RequestedPort = requestedPort;
    }

    public PeerListener Listener { get; }

    /// <summary>The bound UDP socket, for whoever takes it over; null without UDP or when its port was taken.</summary>
    public Socket? Udp { get; }

    /// <summary>Why the UDP port could not be had, when it was asked for.</summary>
    public string? UdpError { get; }

    /// <summary>The port asked for (0 for any); differs from the listener's when it was taken and another was used.</summary>
    public int RequestedPort { get; }

    /// <summary>
    /// Opens <paramref name="tcp"/>'s port; with <paramref name="fallbackPorts"/> above 0 and a port given, a port in use
    /// (TCP, or UDP when <paramref name="withUdp"/>) moves on to the next number, that many times, then to any free port.
    /// </summary>
    public static PeerPorts Open(IPEndPoint tcp, bool withUdp, int fallbackPorts = 0)
    {
        if (tcp.Port != 0 && fallbackPorts > 0)
        {
            int last = Math.Min(IPEndPoint.MaxPort, tcp.Port + fallbackPorts);
            for (int port = tcp.Port; port <= last; port++)
            {
                if (TryOpenBoth(new IPEndPoint(tcp.Address, port), withUdp) is { } found)
                {
                    return found.WithRequested(tcp.Port);
                }
            }

            return Open(new IPEndPoint(tcp.Address, 0), withUdp).WithRequested(tcp.Port);
        }

        for (int attempt = 1; ; attempt++)
        {
            var listener = new PeerListener(tcp);
            if (!withUdp)
            {
                return new PeerPorts(listener, null, null, tcp.Port);
            }

            try
            {
                return new PeerPorts(listener, DualModeUdpSocket.Bind(listener.LocalEndPoint.Port), null, tcp.Port);
            }
            catch (SocketException e) when (tcp.Port == 0 && attempt < Attempts && e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                listener.Dispose();
            }
            catch (SocketException e)
            {
                return new PeerPorts(listener, null, e.Message, tcp.Port);
            }
        }
    }

    /// <summary>Both sockets on this exact port, or null when either is in use.</summary>
    private static PeerPorts? TryOpenBoth(IPEndPoint tcp, bool withUdp)
    {
        PeerListener listener;
        try
        {
            listener = new PeerListener(tcp);
        }
        catch (NetworkException e) when (e.PortInUse)
        {
            return null;
        }

        if (!withUdp)
        {
            return new PeerPorts(listener, null, null, tcp.Port);
        }

        try
        {
            return new PeerPorts(listener, DualModeUdpSocket.Bind(tcp.Port), null, tcp.Port);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            listener.Dispose();
            return null;
        }
        catch (SocketException e)
        {
            return new PeerPorts(listener, null, e.Message, tcp.Port);
        }
    }

    private PeerPorts WithRequested(int requested) => new(Listener, Udp, UdpError, requested);
}
