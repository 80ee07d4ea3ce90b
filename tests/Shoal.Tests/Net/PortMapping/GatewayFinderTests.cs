using System.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

public sealed class GatewayFinderTests
{
    private const string Header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    [Fact]
    public void The_default_route_with_the_lowest_metric_gives_the_gateway()
    {
        string table = Header
            + "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
            + "eth0\t00000000\t010200C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
            + "eth0\t000200C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";

        Assert.Equal(IPAddress.Parse("192.0.2.1"), GatewayFinder.DefaultRoute(table));
    }

    [Fact]
    public void A_table_without_a_default_route_through_a_gateway_gives_none()
    {
        string table = Header
            + "eth0\t000200C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
            + "eth1\t00000000\t0101A8C0\t0002\t0\t0\t100\t00000000\t0\t0\t0\n" // not up
            + "garbage line\n";

        Assert.Null(GatewayFinder.DefaultRoute(table));
    }
}
