using System.Net;
using Shoal.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>The port mapper on virtual time with fake gateway protocols: which is kept, renewals, retries, deletion.</summary>
public sealed class PortMapperTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Gateway Router = new(IPAddress.Parse("192.168.1.1"), IPAddress.Parse("192.168.1.20"));

    private readonly ManualTimeProvider _time = new();
    private readonly ExternalAddressVotes _votes = new();
    private readonly SemaphoreSlim _rounds = new(0);
    private readonly List<FakeMappingClient> _made = [];

    [Fact]
    public async Task The_first_protocol_that_maps_is_kept_for_both_ports_and_tells_the_external_address()
    {
        await using PortMapper mapper = Start(Setup(("UPnP IGD", "UPnP IGD: no device answered"), ("PCP", "PCP: the gateway speaks NAT-PMP, not PCP"), ("NAT-PMP", null), ("never", null)));
        await RoundAsync();

        Assert.Equal(3, _made.Count);
        Assert.True(_made[0].Disposed && _made[1].Disposed && !_made[2].Disposed);
        Assert.Equal(["add Tcp 6881→6881", "address", "add Udp 6882→6882", "address"], _made[2].Calls);
        Assert.Equal(
            [
                new PortMappingStatus(MappingProtocol.Tcp, 6881, PortMappingState.Mapped, "NAT-PMP", 6881, _time.GetUtcNow().AddHours(2), null),
                new PortMappingStatus(MappingProtocol.Udp, 6882, PortMappingState.Mapped, "NAT-PMP", 6882, _time.GetUtcNow().AddHours(2), null),
            ],
            mapper.Status);
        Assert.Equal((FakeGateway.ExternalAddress, ExternalAddressSource.Gateway), _votes.Current);
    }

    [Fact]
    public async Task Mappings_are_renewed_at_half_their_lifetime_and_deleted_on_a_clean_stop()
    {
        PortMapper mapper = Start(Setup(("NAT-PMP", null)));
        await RoundAsync();
        FakeMappingClient client = Assert.Single(_made);

        await AdvanceAsync(TimeSpan.FromMinutes(59));
        Assert.Equal(4, client.Calls.Count);
        await AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(["add Tcp 6881→6881", "address", "add Udp 6882→6882", "address"], client.Calls.Skip(4));
        Assert.Equal(_time.GetUtcNow().AddHours(2), mapper.Status[0].Expires);

        await mapper.DisposeAsync();

        Assert.Equal(["delete Tcp 6881", "delete Udp 6882"], client.Calls.Skip(8).Order());
        Assert.True(client.Disposed);
    }

    [Fact]
    public async Task When_nothing_maps_each_port_fails_with_every_reason_and_is_tried_again_after_15_s()
    {
        await using PortMapper mapper = Start(Setup(("PCP", "PCP: the gateway did not answer"), ("NAT-PMP", "NAT-PMP: the gateway did not answer")));
        await RoundAsync();

        string reason = "the router at 192.168.1.1 mapped no port: PCP: the gateway did not answer; NAT-PMP: the gateway did not answer";
        Assert.All(mapper.Status, s => Assert.Equal((PortMappingState.Failed, reason), (s.State, s.Error)));
        Assert.Equal(2, _made.Count);

        await AdvanceAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(4, _made.Count);
        Assert.Null(_votes.Current);
    }

    [Fact]
    public async Task Without_a_gateway_every_port_says_so()
    {
        await using PortMapper mapper = Start(new PortMappingSetup { FindGateway = () => null, Clients = [] });
        await RoundAsync();

        Assert.All(mapper.Status, s => Assert.Equal((PortMappingState.NoGateway, "no default IPv4 gateway (router) to ask"), (s.State, s.Error)));
    }

    public void Dispose() => _rounds.Dispose();

    [Fact]
    public async Task A_session_listening_on_another_address_than_the_one_the_router_forwards_to_maps_nothing()
    {
        await using PortMapper mapper = Start(Setup(("NAT-PMP", null)), IPAddress.Loopback);
        await RoundAsync();

        Assert.Empty(_made);
        Assert.All(mapper.Status, s => Assert.Equal(
            (PortMappingState.NoGateway, "the router 192.168.1.1 forwards to 192.168.1.20, and the session listens on 127.0.0.1 only"),
            (s.State, s.Error)));
    }

    private PortMappingSetup Setup(params (string Method, string? FailWith)[] clients) => new()
    {
        FindGateway = () => Router,
        Clients = [.. clients.Select(c => (PortMappingClientFactory)((gateway, time) =>
        {
            Assert.Equal(Router, gateway);
            var client = new FakeMappingClient(c.Method, time, c.FailWith);
            _made.Add(client);
            return client;
        }))],
    };

    private PortMapper Start(PortMappingSetup setup, IPAddress? listen = null)
    {
        var mapper = new PortMapper(6881, 6882, listen ?? IPAddress.IPv6Any, setup, _votes, _time);
        mapper.Changed += () => _rounds.Release();
        mapper.Start();
        return mapper;
    }

    private async Task RoundAsync() => Assert.True(await _rounds.WaitAsync(Timeout), "the port mapper did not finish a round");

    /// <summary>Moves time once the mapper waits on it; a round ends when its next wait is due within it.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (_time.NextDue is null)
        {
            await Task.Delay(10, timeout.Token);
        }

        bool roundDue = _time.NextDue <= _time.Elapsed + by;
        _time.Advance(by);
        if (roundDue)
        {
            await RoundAsync();
        }
    }
}
