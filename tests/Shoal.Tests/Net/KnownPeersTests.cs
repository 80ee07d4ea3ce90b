using System.Net;
using Shoal.Net;

namespace Shoal.Tests.Net;

public class KnownPeersTests
{
    private static readonly IPEndPoint Peer = IPEndPoint.Parse("192.0.2.1:6881");

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>The earliest whole second from <paramref name="from"/> at which the peer is due again.</summary>
    private static TimeSpan NextDue(KnownPeers peers, TimeSpan from)
    {
        for (TimeSpan at = from; at <= from + TimeSpan.FromHours(1); at += Seconds(1))
        {
            if (peers.TakeDue(at, 10).Count > 0)
            {
                return at - from;
            }
        }

        throw new Xunit.Sdk.XunitException("the peer never came due");
    }

    [Fact]
    public void A_new_peer_is_due_at_once_and_once_only()
    {
        var peers = new KnownPeers();
        peers.Add(Peer);
        peers.Add(Peer);

        Assert.Equal(1, peers.Count);
        Assert.Equal([Peer], peers.TakeDue(TimeSpan.Zero, 10));
        Assert.Empty(peers.TakeDue(TimeSpan.FromDays(1), 10));
    }

    /// <summary>BEP 55: a relay's connect is dialled at once, through the back-off, but never twice at a time nor to us.</summary>
    [Fact]
    public void A_punch_takes_a_peer_now_whatever_its_back_off_unless_it_is_busy_or_us()
    {
        var peers = new KnownPeers();
        peers.Add(Peer);
        Assert.Single(peers.TakeDue(TimeSpan.Zero, 10));
        Assert.False(peers.TryTakeNow(Peer));
        peers.Released(Peer, TimeSpan.Zero, failed: true);

        Assert.True(peers.TryTakeNow(Peer));
        Assert.Empty(peers.TakeDue(TimeSpan.FromDays(1), 10));

        IPEndPoint stranger = IPEndPoint.Parse("198.51.100.9:51413");
        Assert.True(peers.TryTakeNow(stranger));
        Assert.Equal(2, peers.Count);
        peers.Forget(stranger);
        Assert.False(peers.TryTakeNow(stranger));
    }

    [Fact]
    public void A_peer_that_was_a_seed_is_dialled_again_only_while_we_want_pieces()
    {
        var peers = new KnownPeers();
        var leecher = IPEndPoint.Parse("192.0.2.2:6881");
        peers.Add(Peer);
        peers.Add(leecher);
        Assert.Equal(2, peers.TakeDue(TimeSpan.Zero, 10).Count);
        peers.Released(Peer, TimeSpan.Zero, failed: false, wasSeed: true);
        peers.Released(leecher, TimeSpan.Zero, failed: false);

        // Seeding, we dial the leecher again after its back-off, never the seed.
        Assert.Equal([leecher], peers.TakeDue(TimeSpan.FromHours(1), 10, seedsToo: false));

        // Wanting pieces again (a file changed under us), the seed is dialled too.
        Assert.Equal([Peer], peers.TakeDue(TimeSpan.FromHours(1), 10, seedsToo: true));
    }

    [Fact]
    public void Failed_dials_back_off_from_five_seconds_doubling_up_to_ten_minutes_until_the_peer_is_forgotten()
    {
        var peers = new KnownPeers();
        peers.Add(Peer);
        TimeSpan now = TimeSpan.Zero;
        Assert.Single(peers.TakeDue(now, 10));
        var waits = new List<double>();
        for (int attempt = 0; attempt < KnownPeers.MaxFailures - 1; attempt++)
        {
            peers.Released(Peer, now, failed: true);
            TimeSpan wait = NextDue(peers, now);
            waits.Add(wait.TotalSeconds);
            now += wait;
        }

        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 600, 600], waits);
    }

    [Fact]
    public void The_back_off_is_exact_to_the_tick()
    {
        var peers = new KnownPeers();
        peers.Add(Peer);
        peers.TakeDue(TimeSpan.Zero, 1);
        peers.Released(Peer, Seconds(100), failed: true);

        Assert.Empty(peers.TakeDue(Seconds(105) - TimeSpan.FromTicks(1), 1));
        Assert.Single(peers.TakeDue(Seconds(105), 1));
    }

    [Fact]
    public void A_connection_resets_the_back_off_and_a_clean_disconnect_waits_five_seconds()
    {
        var peers = new KnownPeers();
        peers.Add(Peer);
        TimeSpan now = TimeSpan.Zero;
        Assert.Single(peers.TakeDue(now, 1));
        for (int i = 0; i < 5; i++)
        {
            peers.Released(Peer, now, failed: true);
            now += NextDue(peers, now);
        }

        // Due again after 160 s; this time the dial works, and later the peer leaves.
        peers.Released(Peer, now, failed: true);
        Assert.Equal(Seconds(160), NextDue(peers, now));
        now += Seconds(160);
        peers.Connected(Peer);
        Assert.Empty(peers.TakeDue(now + TimeSpan.FromDays(1), 10));
        peers.Released(Peer, now, failed: false);
        Assert.Equal(Seconds(5), NextDue(peers, now));

        // A failure after that starts again from ten seconds, not from where the old streak was.
        peers.Released(Peer, now, failed: true);
        Assert.Equal(Seconds(10), NextDue(peers, now));
    }

    [Fact]
    public void A_forgotten_peer_is_never_dialled_again()
    {
        var peers = new KnownPeers();
        peers.Add(Peer);
        peers.TakeDue(TimeSpan.Zero, 1);
        peers.Forget(Peer);
        peers.Released(Peer, TimeSpan.Zero, failed: true);
        peers.Released(Peer, TimeSpan.Zero, failed: false);
        peers.Add(Peer);

        Assert.Empty(peers.TakeDue(TimeSpan.FromDays(365), 10));

        var idle = new KnownPeers();
        idle.Add(Peer);
        idle.Forget(Peer);
        Assert.Empty(idle.TakeDue(TimeSpan.Zero, 10));
    }

    [Fact]
    public void TakeDue_hands_out_at_most_max_and_every_peer_in_turn()
    {
        var peers = new KnownPeers();
        IPEndPoint[] all = [.. Enumerable.Range(1, 10).Select(i => new IPEndPoint(IPAddress.Parse($"192.0.2.{i}"), 6881))];
        foreach (IPEndPoint endPoint in all)
        {
            peers.Add(endPoint);
        }

        var taken = new List<IPEndPoint>();
        for (int round = 0; round < 4; round++)
        {
            IReadOnlyList<IPEndPoint> due = peers.TakeDue(TimeSpan.Zero, 3);
            Assert.Equal(round < 3 ? 3 : 1, due.Count);
            taken.AddRange(due);
        }

        Assert.Equal(all.OrderBy(e => e.ToString()), taken.OrderBy(e => e.ToString()));
        Assert.Empty(peers.TakeDue(TimeSpan.Zero, 3));
        Assert.Empty(new KnownPeers().TakeDue(TimeSpan.Zero, 3));

        var none = new KnownPeers();
        none.Add(Peer);
        Assert.Empty(none.TakeDue(TimeSpan.Zero, 0));
        Assert.Single(none.TakeDue(TimeSpan.Zero, 1));
    }

    [Fact]
    public void Ipv4_mapped_addresses_are_the_same_peer_as_their_ipv4_form()
    {
        var peers = new KnownPeers();
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), 6881);
        peers.Add(mapped);
        peers.Add(Peer);

        Assert.Equal(1, peers.Count);
        IPEndPoint due = Assert.Single(peers.TakeDue(TimeSpan.Zero, 10));
        Assert.Equal(Peer, due);
        Assert.False(due.Address.IsIPv4MappedToIPv6);

        // Reports under either form reach the one entry.
        peers.Released(mapped, TimeSpan.Zero, failed: true);
        Assert.Equal(Seconds(5), NextDue(peers, TimeSpan.Zero));
        peers.Forget(mapped);
        peers.Released(Peer, Seconds(5), failed: true);
        Assert.Empty(peers.TakeDue(TimeSpan.FromDays(1), 10));

        // The port still tells peers apart.
        peers.Add(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), 6882));
        Assert.Equal(2, peers.Count);
    }

    [Fact]
    public void A_peer_that_failed_too_often_is_forgotten()
    {
        var peers = new KnownPeers();
        peers.Add(Peer);
        TimeSpan now = TimeSpan.Zero;
        for (int i = 0; i < KnownPeers.MaxFailures; i++)
        {
            Assert.Equal([Peer], peers.TakeDue(now, 10));
            peers.Released(Peer, now, failed: true);
            now += TimeSpan.FromHours(1);
        }

        Assert.Equal(0, peers.Count);
        Assert.Empty(peers.TakeDue(now, 10));
    }

    [Fact]
    public void When_full_the_peer_that_failed_most_gives_way_and_peers_being_dialled_stay()
    {
        var peers = new KnownPeers(capacity: 3);
        IPEndPoint[] known = [.. Enumerable.Range(1, 3).Select(i => IPEndPoint.Parse($"192.0.2.{i}:6881"))];
        Array.ForEach(known, p => peers.Add(p));
        peers.TakeDue(TimeSpan.Zero, 10);
        peers.Released(known[0], TimeSpan.Zero, failed: true);
        peers.Released(known[1], TimeSpan.Zero, failed: true);
        peers.TakeDue(TimeSpan.FromHours(1), 10);
        peers.Released(known[1], TimeSpan.FromHours(1), failed: true);

        IPEndPoint newcomer = IPEndPoint.Parse("192.0.2.9:6881");
        Assert.True(peers.Add(newcomer));
        Assert.Equal(3, peers.Count);
        Assert.False(peers.Add(known[0]));

        // Every peer busy: nothing can give way, and the newcomer is refused.
        peers.TakeDue(TimeSpan.FromDays(1), 10);
        Assert.False(peers.Add(IPEndPoint.Parse("192.0.2.10:6881")));
        Assert.Equal(3, peers.Count);
    }
}
