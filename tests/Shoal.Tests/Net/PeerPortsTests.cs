using System.Net;
using System.Net.Sockets;
using Shoal.Discovery;
using Shoal.Net;

namespace Shoal.Tests.Net;

public sealed class PeerPortsTests
{
    [Fact]
    public void Any_port_gives_tcp_and_udp_the_same_number()
    {
        for (int i = 0; i < 20; i++)
        {
            PeerPorts ports = PeerPorts.Open(new IPEndPoint(IPAddress.Loopback, 0), withUdp: true);
            using Socket udp = Assert.IsType<Socket>(ports.Udp);
            using PeerListener listener = ports.Listener;

            Assert.Equal(listener.LocalEndPoint.Port, ((IPEndPoint)udp.LocalEndPoint!).Port);
        }
    }

    [Fact]
    public void A_fixed_port_whose_udp_number_is_taken_keeps_tcp_and_says_why()
    {
        for (int attempt = 1; ; attempt++)
        {
            using Socket taken = DualModeUdpSocket.Bind(0);
            int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
            PeerPorts ports;
            try
            {
                ports = PeerPorts.Open(new IPEndPoint(IPAddress.Loopback, port), withUdp: true);
            }
            catch (NetworkException) when (attempt < 10)
            {
                // The TCP port of that number belongs to someone else on this machine: try another number.
                continue;
            }

            using PeerListener listener = ports.Listener;
            Assert.Equal(port, listener.LocalEndPoint.Port);
            Assert.Null(ports.Udp);
            Assert.NotNull(ports.UdpError);
            return;
        }
    }

    [Fact]
    public void Without_udp_only_tcp_is_opened()
    {
        PeerPorts ports = PeerPorts.Open(new IPEndPoint(IPAddress.Loopback, 0), withUdp: false);
        using PeerListener listener = ports.Listener;

        Assert.Null(ports.Udp);
        Assert.Null(ports.UdpError);
    }

    [Fact]
    public void A_taken_port_with_fallback_moves_to_the_next_number_free_for_tcp_and_udp()
    {
        // Port P taken for TCP, P + 1 for UDP: the first number free for both is P + 2 (or later, if this machine holds it).
        using var tcpHolder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcpHolder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        tcpHolder.Listen();
        int port = ((IPEndPoint)tcpHolder.LocalEndPoint!).Port;
        using Socket? udpHolder = TryBindUdp(port + 1);

        PeerPorts ports = PeerPorts.Open(new IPEndPoint(IPAddress.Loopback, port), withUdp: true, fallbackPorts: 50);
        using PeerListener listener = ports.Listener;
        using Socket udp = Assert.IsType<Socket>(ports.Udp);

        Assert.Equal(port, ports.RequestedPort);
        Assert.InRange(listener.LocalEndPoint.Port, udpHolder is null ? port + 1 : port + 2, port + 50);
        Assert.Equal(listener.LocalEndPoint.Port, ((IPEndPoint)udp.LocalEndPoint!).Port);
    }

    [Fact]
    public void A_taken_port_without_fallback_is_an_error_that_says_so()
    {
        using var holder = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        holder.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        var refused = Assert.Throws<NetworkException>(() => PeerPorts.Open(new IPEndPoint(IPAddress.IPv6Any, port), withUdp: false));
        Assert.True(refused.PortInUse, refused.Message);
    }

    private static Socket? TryBindUdp(int port)
    {
        try
        {
            return DualModeUdpSocket.Bind(port);
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
