using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Discovery.Dht;
using Shoal.Tests.Net;

namespace Shoal.Tests.Discovery.Dht;

/// <summary>Bootstrap nodes by name: resolved after the start (here by a stand-in resolver: no test asks a real one), failures told, not fatal.</summary>
public sealed class DhtBootstrapTests
{
    [Fact]
    public async Task Names_resolve_after_the_start_and_the_state_tells_which_answered_and_which_failed()
    {
        await using var router = new DhtService(0);
        await router.StartAsync([]);
        await using var node = new DhtService(0)
        {
            Resolve = (host, _) => host == "router.test"
                ? Task.FromResult(new[] { IPAddress.Loopback })
                : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)),
        };
        await node.StartAsync([new DnsEndPoint("router.test", router.Port), new DnsEndPoint("gone.test", 6881), new IPEndPoint(IPAddress.Loopback, 9)]);

        DhtState state = node.State;
        for (int i = 0; i < 200 && !state.BootstrapHosts[0].Answered; i++)
        {
            await Task.Delay(50);
            state = node.State;
        }

        Assert.True(state.GoodNodes >= 1);
        Assert.Equal(["router.test:" + router.Port, "gone.test:6881", "127.0.0.1:9"], state.BootstrapHosts.Select(h => h.Name));
        Assert.True(state.BootstrapHosts[0].Answered);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, router.Port)], state.BootstrapHosts[0].Addresses);
        Assert.NotNull(state.BootstrapHosts[1].Error);
        Assert.Empty(state.BootstrapHosts[1].Addresses);
        Assert.False(state.BootstrapHosts[2].Answered);
        Assert.Null(state.BootstrapHosts[2].Error);
    }

    [Fact]
    public async Task A_name_that_did_not_resolve_is_tried_again_a_minute_later_while_the_node_knows_nobody()
    {
        var time = new ManualTimeProvider();
        int attempts = 0;
        var found = new TaskCompletionSource<IReadOnlyList<IPEndPoint>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resolver = new BootstrapResolver(
            [new DnsEndPoint("flaky.test", 6881)],
            (_, _) => ++attempts == 1 ? Task.FromException<IPAddress[]>(new SocketException((int)SocketError.TryAgain)) : Task.FromResult(new[] { IPAddress.Loopback }),
            time,
            NullLogger.Instance);
        Task running = resolver.RunAsync(found.SetResult, () => false, CancellationToken.None);
        Assert.Equal(1, attempts);
        Assert.NotNull(resolver.Snapshot([])[0].Error);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 6881)], await found.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(resolver.Snapshot([])[0].Error);
    }

    [Fact]
    public void Bootstrap_entries_are_addresses_or_names()
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse("::1"), 6881), DhtEndPoints.Parse("[::1]:6881"));
        Assert.Equal(new DnsEndPoint("router.bittorrent.com", 6881), DhtEndPoints.Parse("router.bittorrent.com:6881"));
    }
}
