using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Discovery.Trackers;
using Shoal.Tests.Net;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Swarms;

public sealed class MemorySwarmStoreTests
{
    private static readonly InfoHashKey Swarm = InfoHashKey.Read(Enumerable.Repeat((byte)7, 20).ToArray());

    private static PeerAnnouncement Announce(int peer, bool seeder = false, AnnounceEvent announceEvent = AnnounceEvent.None) =>
        new(Swarm, new PeerAddress(IPAddress.Loopback, 10_000 + peer), seeder, announceEvent, 50, PeerFamilies.Both);

    [Fact]
    public async Task Peers_expire_after_the_timeout_and_completed_counts_are_written_through()
    {
        var time = new ManualTimeProvider();
        var durable = new RecordingCountStore();
        MemorySwarmStore store = await MemorySwarmStore.OpenAsync(durable, TimeSpan.FromMinutes(10), time, NullLogger.Instance, CancellationToken.None);
        await using (store)
        {
            await store.AnnounceAsync(Announce(1), CancellationToken.None);
            await store.AnnounceAsync(Announce(2, seeder: true, AnnounceEvent.Completed), CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(6));
            AnnounceAnswer answer = await store.AnnounceAsync(Announce(1), CancellationToken.None);
            Assert.Equal(new SwarmCounts(1, 1, 1), answer.Counts);

            time.Advance(TimeSpan.FromMinutes(5));
            store.ExpirePeers();
            Assert.Equal(new SwarmCounts(0, 1, 1), (await store.ScrapeAsync([Swarm], CancellationToken.None))[0]);
        }

        Assert.Equal(1, durable.Stored[Swarm]);
    }

    [Fact]
    public async Task Stored_counts_are_loaded_and_concurrent_announces_keep_counts_exact()
    {
        var durable = new RecordingCountStore();
        durable.Stored[Swarm] = 41;
        await using MemorySwarmStore store = await MemorySwarmStore.OpenAsync(durable, TimeSpan.FromMinutes(10), TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        await Parallel.ForAsync(0, 2000, async (i, ct) =>
        {
            await store.AnnounceAsync(Announce(i % 500, seeder: i % 500 < 100), ct);
            if (i % 500 >= 400)
            {
                await store.AnnounceAsync(Announce(i % 500, announceEvent: AnnounceEvent.Stopped), ct);
            }
        });

        Assert.Equal(new SwarmCounts(100, 300, 41), (await store.ScrapeAsync([Swarm], CancellationToken.None))[0]);
    }

    private sealed class RecordingCountStore : ICompletedCountStore
    {
        public Dictionary<InfoHashKey, long> Stored { get; } = [];

        public Task<IReadOnlyDictionary<InfoHashKey, long>> LoadCompletedAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<InfoHashKey, long>>(new Dictionary<InfoHashKey, long>(Stored));

        public Task AddCompletedAsync(IReadOnlyDictionary<InfoHashKey, long> increments, CancellationToken cancellationToken)
        {
            foreach ((InfoHashKey key, long count) in increments)
            {
                Stored[key] = Stored.GetValueOrDefault(key) + count;
            }

            return Task.CompletedTask;
        }
    }
}
