using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Swarms;

/// <summary>What a save writes: a swarm whose peers joined, left or changed at the next save; one whose peers only announced again once refreshes are marked.</summary>
public sealed class SwarmTableSaveTests
{
    private static readonly InfoHashKey Swarm = InfoHashKey.Read(Enumerable.Repeat((byte)3, 20).ToArray());

    private static PeerAnnouncement Announce(int peer, bool seeder = false, AnnounceEvent announceEvent = AnnounceEvent.None) =>
        new(Swarm, new PeerAddress(IPAddress.Loopback, 10_000 + peer), seeder, announceEvent, 50, PeerFamilies.Both);

    private static List<SavedSwarm> Save(SwarmTable table) => [.. table.Copies(table.TakeChanges().Changed)];

    [Fact]
    public void A_re_announce_waits_for_the_refresh_and_a_change_does_not()
    {
        var table = new SwarmTable(PeerCapsForTests.Unlimited, new CompletedCounts(new Dictionary<InfoHashKey, long>()));
        table.Announce(Announce(1), expiresAt: 100);
        Assert.Single(Save(table));

        table.Announce(Announce(1), expiresAt: 200);
        Assert.Empty(Save(table));

        table.MarkRefreshed();
        SavedSwarm refreshed = Assert.Single(Save(table));
        Assert.Equal(200, refreshed.ReadEntry(0).ExpiresAt);
        table.MarkRefreshed();
        Assert.Empty(Save(table));

        table.Announce(Announce(1, seeder: true), expiresAt: 300);
        Assert.True(Assert.Single(Save(table)).ReadEntry(0).IsSeeder);
        table.Announce(Announce(2), expiresAt: 300);
        Assert.Equal(2, Assert.Single(Save(table)).Count);
        table.Announce(Announce(2, announceEvent: AnnounceEvent.Stopped), expiresAt: 300);
        Assert.Equal(1, Assert.Single(Save(table)).Count);
    }
}
