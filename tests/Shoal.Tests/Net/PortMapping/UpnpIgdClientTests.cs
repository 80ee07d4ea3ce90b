using System.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

public class UpnpIgdClientTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static UpnpIgdClient Client(FakeUpnpGateway gateway) => new(IPAddress.Loopback, IPAddress.Loopback, TimeProvider.System, new UpnpIgdOptions
    {
        SearchEndPoint = gateway.SearchEndPoint,
        SearchRoundTime = TimeSpan.FromSeconds(2),
    });

    [Fact]
    public async Task Finds_the_gateway_maps_both_ports_renews_reads_the_external_address_and_deletes()
    {
        await using var gateway = FakeUpnpGateway.Start();
        await using UpnpIgdClient client = Client(gateway);

        DateTimeOffset before = DateTimeOffset.UtcNow;
        PortMappingLease tcp = await client.AddAsync(MappingProtocol.Tcp, 6881, 6881, Hour, CancellationToken.None);
        PortMappingLease udp = await client.AddAsync(MappingProtocol.Udp, 6881, 6881, Hour, CancellationToken.None);

        Assert.Equal("UPnP IGD", client.Method);
        Assert.Equal(new PortMappingLease("UPnP IGD", MappingProtocol.Tcp, IPAddress.Loopback, 6881, 6881, tcp.Expires), tcp);
        Assert.InRange(tcp.Expires, before + Hour, DateTimeOffset.UtcNow + Hour);
        Assert.Equal(MappingProtocol.Udp, udp.Protocol);
        Assert.Equal(new FakeUpnpGateway.Mapping("127.0.0.1", 6881, 3600, "Shoal", "", "1"), gateway.Mappings[("TCP", 6881)]);
        Assert.Equal(new FakeUpnpGateway.Mapping("127.0.0.1", 6881, 3600, "Shoal", "", "1"), gateway.Mappings[("UDP", 6881)]);
        Assert.Equal(new Uri($"http://127.0.0.1:{client.Gateway!.ControlPoint.ControlUrl.Port}/ctl/IPConn"), client.Gateway.ControlPoint.ControlUrl);

        PortMappingLease renewed = await client.AddAsync(MappingProtocol.Tcp, 6881, 6881, TimeSpan.FromHours(2), CancellationToken.None);
        Assert.Equal(6881, renewed.ExternalPort);
        Assert.Equal(7200, gateway.Mappings[("TCP", 6881)].LeaseSeconds);
        Assert.Equal(IPAddress.Parse(FakeUpnpGateway.ExternalAddress), await client.GetExternalAddressAsync(CancellationToken.None));

        await client.DeleteAsync(tcp, CancellationToken.None);
        await client.DeleteAsync(udp, CancellationToken.None);
        Assert.Empty(gateway.Mappings);
        // A mapping already gone (expired, a router restart) is no failure to delete.
        await client.DeleteAsync(tcp, CancellationToken.None);
        Assert.Equal(["AddPortMapping", "AddPortMapping", "AddPortMapping", "GetExternalIPAddress", "DeletePortMapping", "DeletePortMapping", "DeletePortMapping"], gateway.Actions);
    }

    [Fact]
    public async Task A_port_another_host_holds_moves_the_mapping_to_the_next_free_one()
    {
        await using var gateway = FakeUpnpGateway.Start();
        gateway.TakenPorts[6881] = true;
        gateway.TakenPorts[6882] = true;
        await using UpnpIgdClient client = Client(gateway);

        PortMappingLease lease = await client.AddAsync(MappingProtocol.Tcp, 6881, 6881, Hour, CancellationToken.None);

        Assert.Equal(6883, lease.ExternalPort);
        Assert.Equal(6881, lease.InternalPort);
        Assert.Equal(6881, gateway.Mappings[("TCP", 6883)].InternalPort);
    }

    [Fact]
    public async Task Gives_up_after_a_few_taken_ports_saying_why()
    {
        await using var gateway = FakeUpnpGateway.Start();
        foreach (int port in Enumerable.Range(6881, 10))
        {
            gateway.TakenPorts[port] = true;
        }

        await using UpnpIgdClient client = Client(gateway);

        PortMappingException e = await Assert.ThrowsAsync<PortMappingException>(() => client.AddAsync(MappingProtocol.Udp, 6881, 6881, Hour, CancellationToken.None));

        Assert.Equal(
            "the gateway 127.0.0.1 refused AddPortMapping of UDP port 6884 to 127.0.0.1:6881: UPnP error 718 'ConflictInMappingEntry': the external port is already mapped to another host",
            e.Message);
        Assert.Equal(UpnpIgdOptions.Default.ConflictAttempts, gateway.Actions.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_gateway_that_maps_only_the_same_port_and_only_permanently_gets_such_a_mapping(int version)
    {
        await using var gateway = FakeUpnpGateway.Start();
        gateway.Version = version;
        gateway.SamePortRequired = true;
        gateway.OnlyPermanentLeases = true;
        await using UpnpIgdClient client = Client(gateway);

        PortMappingLease lease = await client.AddAsync(MappingProtocol.Tcp, 6881, 40000, Hour, CancellationToken.None);

        Assert.Equal(6881, lease.ExternalPort);
        // IGD:2 grants a week for a lease of 0, as miniupnpd does; IGD:1 keeps it until deleted.
        if (version == 2)
        {
            Assert.InRange(lease.Expires, DateTimeOffset.UtcNow.AddDays(7).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7));
        }
        else
        {
            Assert.Equal(DateTimeOffset.MaxValue, lease.Expires);
        }

        Assert.Equal(0, gateway.Mappings[("TCP", 6881)].LeaseSeconds);
        Assert.Equal(3, gateway.Actions.Count);
    }

    [Theory]
    [InlineData(501, "ActionFailed", "UPnP error 501 'ActionFailed': the gateway failed to carry out the action")]
    [InlineData(402, "Invalid Args", "UPnP error 402 'Invalid Args': the gateway refused the arguments")]
    [InlineData(606, "Action not authorized", "UPnP error 606 'Action not authorized': the gateway does not allow this action")]
    public async Task A_refusal_is_an_exception_that_says_what_and_why(int code, string description, string expected)
    {
        await using var gateway = FakeUpnpGateway.Start();
        gateway.RefuseAll = (code, description);
        await using UpnpIgdClient client = Client(gateway);

        PortMappingException add = await Assert.ThrowsAsync<PortMappingException>(() => client.AddAsync(MappingProtocol.Tcp, 6881, 6881, Hour, CancellationToken.None));
        PortMappingException address = await Assert.ThrowsAsync<PortMappingException>(() => client.GetExternalAddressAsync(CancellationToken.None));

        Assert.StartsWith($"the gateway 127.0.0.1 refused AddPortMapping of TCP port 6881 to 127.0.0.1:6881: {expected}", add.Message, StringComparison.Ordinal);
        Assert.StartsWith($"the gateway 127.0.0.1 refused GetExternalIPAddress: {expected}", address.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.2", "127.0.0.1 answered with its description on another host (http://127.0.0.2:")]
    [InlineData("127.0.0.3", "127.0.0.1", "127.0.0.1 answered, which is not the gateway")]
    public async Task Only_the_gateways_own_answer_with_its_description_on_the_gateway_is_followed(string gatewayAddress, string locationHost, string reason)
    {
        await using var gateway = FakeUpnpGateway.Start();
        gateway.LocationHost = locationHost;
        await using var client = new UpnpIgdClient(IPAddress.Parse(gatewayAddress), IPAddress.Loopback, TimeProvider.System, new UpnpIgdOptions
        {
            SearchEndPoint = gateway.SearchEndPoint,
            // The search is given its full time, so this test waits it out: long enough for a loaded machine's answer.
            SearchRounds = 2,
            SearchRoundTime = TimeSpan.FromSeconds(1),
        });

        PortMappingException e = await Assert.ThrowsAsync<PortMappingException>(() => client.AddAsync(MappingProtocol.Tcp, 6881, 6881, Hour, CancellationToken.None));

        Assert.StartsWith($"the gateway {gatewayAddress} did not answer as a UPnP Internet Gateway Device to a search at {gateway.SearchEndPoint} from 127.0.0.1 within 2 s (", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.InRange(gateway.Searches, 1, 2);
        Assert.Empty(gateway.Actions);
    }

    [Fact]
    public async Task A_gateway_that_stops_answering_is_forgotten_so_the_next_call_searches_again()
    {
        var first = FakeUpnpGateway.Start();
        await using UpnpIgdClient client = Client(first);
        await client.AddAsync(MappingProtocol.Tcp, 6881, 6881, Hour, CancellationToken.None);
        await first.DisposeAsync();

        PortMappingException e = await Assert.ThrowsAsync<PortMappingException>(() => client.AddAsync(MappingProtocol.Tcp, 6881, 6881, Hour, CancellationToken.None));

        Assert.Contains("/ctl/IPConn", e.Message, StringComparison.Ordinal);
        Assert.Null(client.Gateway);
    }
}
