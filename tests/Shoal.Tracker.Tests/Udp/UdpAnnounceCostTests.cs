using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Tracker.Tests.Fuzzing;
using Shoal.Tracker.Udp;
using Xunit.Abstractions;

namespace Shoal.Tracker.Tests.Udp;

/// <summary>What a UDP announce (BEP 15) costs the tracker in allocations, whatever the number of swarms held.</summary>
[Collection(AllocationMeasurements.Name)]
public sealed class UdpAnnounceCostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_re_announce_allocates_nothing()
    {
        await using InProcessTracker tracker = await InProcessTracker.StartAsync();
        // As the dual-mode socket gives them: IPv4 mapped to IPv6.
        var remote = new IPEndPoint(IPAddress.Parse("10.1.2.3").MapToIPv6(), 6881);
        long id = tracker.ConnectionIds.Issue(remote.Address);
        byte[] response = new byte[UdpRequestHandler.MaxResponseLength(tracker.Options.MaxNumWant)];
        byte[][] packets = [.. Enumerable.Range(0, 2000).Select(i => Announce(id, i))];
        foreach (byte[] packet in packets)
        {
            await tracker.Udp.HandleAsync(packet, remote, response, CancellationToken.None);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        foreach (byte[] packet in packets)
        {
            await tracker.Udp.HandleAsync(packet, remote, response, CancellationToken.None);
        }

        long perAnnounce = (GC.GetAllocatedBytesForCurrentThread() - before) / packets.Length;
        output.WriteLine($"{perAnnounce} bytes per announce");
        // The request is read into a struct (UdpAnnounceFields) and the answer is a struct: a peer the
        // swarm knows costs no object, so a fill leaves the GC only the table's own growth.
        Assert.InRange(perAnnounce, 0, 8);
    }

    private static byte[] Announce(long connectionId, int i)
    {
        byte[] hash = new byte[InfoHash.V1Length];
        BitConverter.TryWriteBytes(hash, i % 100);
        byte[] packet = new byte[UdpTrackerCodec.AnnounceRequestLength];
        UdpTrackerCodec.WriteAnnounceRequest(packet, new UdpAnnounceRequest(connectionId, i, new InfoHash(hash), new byte[20], 0, 100, 0, AnnounceEvent.Started, 0, 0, 0, (ushort)(1000 + i)));
        return packet;
    }
}
