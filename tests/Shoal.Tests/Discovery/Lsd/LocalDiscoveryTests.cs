using System.Net;
using Shoal.Discovery.Lsd;
using Shoal.Metainfo;
using Shoal.Tests.Net;

namespace Shoal.Tests.Discovery.Lsd;

public class LocalDiscoveryTests
{
    private static readonly IPAddress Neighbour = IPAddress.Parse("192.168.1.20");

    private readonly ManualTimeProvider _time = new();
    private readonly LocalDiscovery _discovery;

    public LocalDiscoveryTests() => _discovery = new LocalDiscovery("ours", _time);

    private static InfoHash Hash(int seed) => new(Enumerable.Repeat((byte)seed, InfoHash.V1Length).ToArray());

    private static byte[] AnnounceOf(string cookie, int port, params InfoHash[] hashes) =>
        LsdMessageCodec.Encode(new LsdMessage("239.192.152.143:6771", port, hashes, cookie));

    [Fact]
    public void A_torrent_is_announced_at_once_then_every_five_minutes()
    {
        _discovery.Announce(Hash(1), isPrivate: false);

        Assert.Equal(TimeSpan.Zero, _discovery.UntilNextAnnounce());
        Assert.Equal([Hash(1)], _discovery.TakeDueAnnounce());
        Assert.Empty(_discovery.TakeDueAnnounce());
        Assert.Equal(TimeSpan.FromMinutes(5), _discovery.UntilNextAnnounce());

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Empty(_discovery.TakeDueAnnounce());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([Hash(1)], _discovery.TakeDueAnnounce());
    }

    [Fact]
    public void Nothing_registered_means_no_announce_ever()
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, _discovery.UntilNextAnnounce());
        Assert.Empty(_discovery.TakeDueAnnounce());
    }

    [Fact]
    public void Private_torrents_are_never_announced_and_marking_one_private_withdraws_it()
    {
        Assert.False(_discovery.Announce(Hash(1), isPrivate: true));
        Assert.Empty(_discovery.TakeDueAnnounce());
        Assert.Equal(Timeout.InfiniteTimeSpan, _discovery.UntilNextAnnounce());

        Assert.True(_discovery.Announce(Hash(2), isPrivate: false));
        Assert.False(_discovery.Announce(Hash(2), isPrivate: true));
        Assert.Empty(_discovery.TakeDueAnnounce());
        Assert.Empty(_discovery.Receive(Neighbour, AnnounceOf("theirs", 6881, Hash(1), Hash(2))));
    }

    [Fact]
    public void Many_torrents_are_batched_at_most_one_announce_per_second()
    {
        const int count = 50;
        for (int i = 0; i < count; i++)
        {
            _discovery.Announce(Hash(i), isPrivate: false);
        }

        var sent = new List<InfoHash>();
        var batches = new List<int>();
        while (sent.Count < count)
        {
            IReadOnlyList<InfoHash> batch = _discovery.TakeDueAnnounce();
            Assert.NotEmpty(batch);
            Assert.Empty(_discovery.TakeDueAnnounce());
            batches.Add(batch.Count);
            sent.AddRange(batch);
            Assert.Equal(sent.Count < count ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(2), _discovery.UntilNextAnnounce());
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        int capacity = LsdMessageCodec.BatchCapacity;
        Assert.Equal([capacity, capacity, count - (2 * capacity)], batches);
        Assert.Equal(count, sent.Distinct().Count());
    }

    [Fact]
    public void Registering_again_keeps_the_schedule_and_withdrawing_stops_announces()
    {
        _discovery.Announce(Hash(1), isPrivate: false);
        _discovery.TakeDueAnnounce();
        _discovery.Announce(Hash(1), isPrivate: false);
        Assert.Equal(TimeSpan.FromMinutes(5), _discovery.UntilNextAnnounce());

        Assert.True(_discovery.Withdraw(Hash(1)));
        Assert.False(_discovery.Withdraw(Hash(1)));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(_discovery.TakeDueAnnounce());
    }

    [Fact]
    public void A_v2_torrent_is_announced_truncated_and_found_under_its_full_hash()
    {
        var v2 = new InfoHash(Enumerable.Range(0, InfoHash.V2Length).Select(i => (byte)i).ToArray());
        _discovery.Announce(v2, isPrivate: false);

        Assert.Equal([v2.Truncated], _discovery.TakeDueAnnounce());
        Assert.Equal([new LsdPeer(v2, new IPEndPoint(Neighbour, 6881))], _discovery.Receive(Neighbour, AnnounceOf("theirs", 6881, v2.Truncated)));
    }

    [Fact]
    public void Reports_peers_at_the_source_address_and_announced_port_for_wanted_torrents_only()
    {
        _discovery.Announce(Hash(1), isPrivate: false);
        _discovery.Announce(Hash(3), isPrivate: false);

        IReadOnlyList<LsdPeer> peers = _discovery.Receive(IPAddress.Parse("::ffff:192.168.1.20"), AnnounceOf("theirs", 51413, Hash(1), Hash(2), Hash(3)));

        Assert.Equal(
            [new LsdPeer(Hash(1), new IPEndPoint(Neighbour, 51413)), new LsdPeer(Hash(3), new IPEndPoint(Neighbour, 51413))],
            peers);
    }

    [Fact]
    public void Our_own_announces_are_ignored()
    {
        _discovery.Announce(Hash(1), isPrivate: false);

        Assert.Empty(_discovery.Receive(Neighbour, AnnounceOf("ours", 6881, Hash(1))));
        Assert.Single(_discovery.Receive(Neighbour, AnnounceOf("other", 6881, Hash(1))));
    }

    [Fact]
    public void Each_source_is_heard_in_a_burst_then_once_a_second()
    {
        _discovery.Announce(Hash(1), isPrivate: false);
        byte[] announce = AnnounceOf("theirs", 6881, Hash(1));
        int burst = LsdOptions.Default.SourceBurst;

        Assert.Equal(burst, Enumerable.Range(0, burst + 5).Count(_ => _discovery.Receive(Neighbour, announce).Count == 1));
        Assert.Single(_discovery.Receive(IPAddress.Parse("192.168.1.21"), announce));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(_discovery.Receive(Neighbour, announce));
        Assert.Empty(_discovery.Receive(Neighbour, announce));
    }

    [Fact]
    public void Sources_beyond_the_table_size_are_dropped_until_earlier_ones_refill()
    {
        var discovery = new LocalDiscovery("ours", _time, new LsdOptions { MaxTrackedSources = 2, SourceBurst = 1 });
        discovery.Announce(Hash(1), isPrivate: false);
        byte[] announce = AnnounceOf("theirs", 6881, Hash(1));

        Assert.Single(discovery.Receive(IPAddress.Parse("10.0.0.1"), announce));
        Assert.Single(discovery.Receive(IPAddress.Parse("10.0.0.2"), announce));
        Assert.Empty(discovery.Receive(IPAddress.Parse("10.0.0.3"), announce));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(discovery.Receive(IPAddress.Parse("10.0.0.3"), announce));
    }

    [Fact]
    public void Malformed_datagrams_raise_the_codec_exception()
    {
        Assert.Throws<LsdMessageException>(() => _discovery.Receive(Neighbour, "GET / HTTP/1.1\r\n\r\n"u8));
    }
}
