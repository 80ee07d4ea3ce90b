using System.Buffers.Binary;
using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Tracker.Swarms;
using Xunit.Abstractions;

namespace Shoal.Tracker.Tests.Swarms;

/// <summary>What the table holds per peer, for the many small swarms a real tracker has (bench/tracker.sh's fill).</summary>
[Collection(AllocationMeasurements.Name)]
public sealed class SwarmTableMemoryTests(ITestOutputHelper output)
{
    private const int Swarms = 20_000;
    private const int PeersPerSwarm = 10;

    [Fact]
    public void A_peer_entry_is_24_bytes()
    {
        Assert.Equal(24, PeerSwarm.EntrySize);
    }

    [Fact]
    public void Small_swarms_cost_at_most_56_bytes_per_peer_with_the_swarms_own_overhead()
    {
        var table = new SwarmTable(PeerCapsForTests.Unlimited, new CompletedCounts(new Dictionary<InfoHashKey, long>()));
        long before = GC.GetTotalMemory(forceFullCollection: true);
        Span<byte> hash = stackalloc byte[InfoHashKey.Length];
        for (int peer = 0; peer < Swarms * PeersPerSwarm; peer++)
        {
            BinaryPrimitives.WriteInt32BigEndian(hash, peer % Swarms);
            var address = new PeerAddress(IPAddress.Loopback, 1024 + (peer / Swarms));
            table.Announce(new PeerAnnouncement(InfoHashKey.Read(hash), address, false, AnnounceEvent.Started, 0, PeerFamilies.Both), 100);
        }

        long perPeer = (GC.GetTotalMemory(forceFullCollection: true) - before) / (Swarms * PeersPerSwarm);
        output.WriteLine($"{perPeer} bytes per peer");
        Assert.Equal(Swarms * PeersPerSwarm, table.PeerCount);
        Assert.InRange(perPeer, 24, 56);
        GC.KeepAlive(table);
    }
}
