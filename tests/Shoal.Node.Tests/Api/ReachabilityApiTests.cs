using System.Net;
using System.Text.Json;
using Shoal.Net.PortMapping;
using Shoal.Tests;
using Shoal.Tests.Net.PortMapping;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Api;

public sealed class ReachabilityApiTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Reachability_shows_the_ports_their_mappings_and_the_external_address()
    {
        await using var router = new FakeGateway(GatewaySpeaks.Pcp) { PortOffset = 1 };
        NodeOptions options = TestNode.Options(_folder.Path);
        options = options with
        {
            Session = options.Session with
            {
                PortMapping = true,
                PortMappingSetup = new PortMappingSetup
                {
                    FindGateway = () => new Gateway(IPAddress.Loopback, IPAddress.Loopback),
                    Clients = [(gateway, time) => new PcpClient(router.EndPoint, gateway.InternalAddress, time)],
                },
            },
        };
        await using NodeHost node = await NodeHost.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        using HttpClient client = TestNode.Client(node);
        int port = node.Session.ListenEndPoint.Port;

        JsonElement reachability = default;
        using (var waited = new CancellationTokenSource(Timeout))
        {
            while (reachability.ValueKind == JsonValueKind.Undefined || reachability.GetProperty("mappings").EnumerateArray().Any(m => m.GetProperty("state").GetString() != "mapped"))
            {
                await Task.Delay(20, waited.Token);
                (HttpStatusCode status, reachability) = await SendAsync(client, HttpMethod.Get, "api/v1/reachability");
                Assert.Equal(HttpStatusCode.OK, status);
            }
        }

        Assert.Equal(["tcpPort", "udpPort", "requestedPort", "externalAddress", "externalAddressSource", "mappings", "dht"], reachability.EnumerateObject().Select(p => p.Name));
        Assert.Equal((port, port), (reachability.GetProperty("tcpPort").GetInt32(), reachability.GetProperty("udpPort").GetInt32()));
        Assert.Equal(("203.0.113.7", "gateway"), (reachability.GetProperty("externalAddress").GetString(), reachability.GetProperty("externalAddressSource").GetString()));
        JsonElement tcp = reachability.GetProperty("mappings")[0];
        Assert.Equal(["protocol", "internalPort", "state", "method", "externalPort", "expires", "error"], tcp.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("tcp", port, "PCP", port + 1), (tcp.GetProperty("protocol").GetString(), tcp.GetProperty("internalPort").GetInt32(), tcp.GetProperty("method").GetString(), tcp.GetProperty("externalPort").GetInt32()));
        Assert.Equal(JsonValueKind.Null, tcp.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Without_port_mapping_each_port_is_off()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);

        (_, JsonElement reachability) = await SendAsync(client, HttpMethod.Get, "api/v1/reachability");

        Assert.All(reachability.GetProperty("mappings").EnumerateArray(), m => Assert.Equal("off", m.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, reachability.GetProperty("externalAddress").ValueKind);
    }

    public void Dispose() => _folder.Dispose();
}
