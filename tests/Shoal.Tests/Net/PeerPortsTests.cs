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
}
