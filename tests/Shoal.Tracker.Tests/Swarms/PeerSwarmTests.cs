using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Swarms;

public sealed class PeerSwarmTests
{
    private static PeerAddress Peer(int n) => new(IPAddress.Parse($"10.0.{n / 250}.{(n % 250) + 1}"), 6881);

    private static PeerAddress Peer6(int n) => new(IPAddress.Parse($"2001:db8::{n + 1:x}"), 6881);

    private static List<PeerAddress> Sampled(PeerSwarm swarm, PeerAddress asker, bool askerIsSeeder, int numWant, PeerFamilies families = PeerFamilies.Both)
    {
        byte[] peers4 = new byte[numWant * 6];
        byte[] peers6 = new byte[numWant * 18];
        (int bytes4, int bytes6) = swarm.Sample(asker, askerIsSeeder, numWant, families, peers4, peers6);
        var result = new List<PeerAddress>();
        for (int i = 0; i < bytes4; i += 6)
        {
            result.Add(new PeerAddress(new IPAddress(peers4.AsSpan(i, 4)), (peers4[i + 4] << 8) | peers4[i + 5]));
        }

        for (int i = 0; i < bytes6; i += 18)
        {
            result.Add(new PeerAddress(new IPAddress(peers6.AsSpan(i, 16)), (peers6[i + 16] << 8) | peers6[i + 17]));
        }

        return result;
    }

    [Fact]
    public void Counts_follow_started_completed_and_stopped()
    {
        var swarm = new PeerSwarm();
        Assert.Equal(Recorded.Changed, swarm.Record(Peer(1), isSeeder: false, AnnounceEvent.Started, 100));
        Assert.Equal(Recorded.Changed, swarm.Record(Peer(2), isSeeder: true, AnnounceEvent.Started, 100));
        Assert.Equal(Recorded.Refreshed, swarm.Record(Peer(2), isSeeder: true, AnnounceEvent.None, 200));
        Assert.Equal((1, 1), (swarm.Seeders, swarm.Leechers));

        Assert.Equal(Recorded.Changed | Recorded.Finished, swarm.Record(Peer(1), isSeeder: true, AnnounceEvent.Completed, 100));
        Assert.Equal(Recorded.Refreshed, swarm.Record(Peer(1), isSeeder: true, AnnounceEvent.Completed, 100));
        Assert.Equal((2, 0), (swarm.Seeders, swarm.Leechers));

        Assert.Equal(Recorded.Changed, swarm.Record(Peer(2), isSeeder: true, AnnounceEvent.Stopped, 100));
        Assert.Equal((1, 0), (swarm.Seeders, swarm.Leechers));
        Assert.Equal(Recorded.None, swarm.Record(Peer(9), isSeeder: false, AnnounceEvent.Stopped, 100));
        Assert.Equal(1, swarm.Count);
    }

    [Fact]
    public void A_sample_never_holds_the_asker_and_a_seeder_gets_only_leechers()
    {
        var swarm = new PeerSwarm();
        for (int n = 0; n < 10; n++)
        {
            swarm.Record(Peer(n), isSeeder: n < 4, AnnounceEvent.None, 100);
        }

        for (int round = 0; round < 50; round++)
        {
            List<PeerAddress> toLeecher = Sampled(swarm, Peer(7), askerIsSeeder: false, 50);
            Assert.Equal(9, toLeecher.Count);
            Assert.DoesNotContain(Peer(7), toLeecher);
            Assert.Equal(9, toLeecher.Distinct().Count());

            List<PeerAddress> toSeeder = Sampled(swarm, Peer(0), askerIsSeeder: true, 50);
            Assert.Equal(6, toSeeder.Count);
            Assert.All(toSeeder, peer => Assert.Contains(peer, Enumerable.Range(4, 6).Select(Peer)));
        }
    }

    [Fact]
    public void Samples_respect_numwant_and_reach_every_peer_in_random_order()
    {
        var swarm = new PeerSwarm();
        for (int n = 0; n < 100; n++)
        {
            swarm.Record(Peer(n), isSeeder: false, AnnounceEvent.None, 100);
        }

        var seen = new HashSet<PeerAddress>();
        var firsts = new HashSet<PeerAddress>();
        for (int round = 0; round < 200; round++)
        {
            List<PeerAddress> sample = Sampled(swarm, Peer(1000), askerIsSeeder: false, 10);
            Assert.Equal(10, sample.Count);
            seen.UnionWith(sample);
            firsts.Add(sample[0]);
        }

        Assert.Equal(100, seen.Count);
        Assert.True(firsts.Count > 50, $"only {firsts.Count} different peers came first");
    }

    [Fact]
    public void Families_are_kept_apart()
    {
        var swarm = new PeerSwarm();
        for (int n = 0; n < 5; n++)
        {
            swarm.Record(Peer(n), isSeeder: false, AnnounceEvent.None, 100);
            swarm.Record(Peer6(n), isSeeder: false, AnnounceEvent.None, 100);
        }

        Assert.All(Sampled(swarm, Peer(100), false, 50, PeerFamilies.IPv4), peer => Assert.True(peer.IsIPv4));
        Assert.All(Sampled(swarm, Peer(100), false, 50, PeerFamilies.IPv6), peer => Assert.False(peer.IsIPv4));
        Assert.Equal(10, Sampled(swarm, Peer(100), false, 50).Count);
    }

    [Fact]
    public void Peers_that_stop_announcing_expire_and_the_index_stays_consistent()
    {
        var swarm = new PeerSwarm();
        for (int n = 0; n < 40; n++)
        {
            swarm.Record(Peer(n), isSeeder: n % 2 == 0, AnnounceEvent.None, expiresAt: n < 30 ? 100 : 200);
        }

        Assert.Equal(30, swarm.Expire(now: 150, _ => { }));
        Assert.Equal(10, swarm.Count);
        Assert.Equal(5, swarm.Seeders);

        // Refreshing a survivor updates it in place; the removals kept the address index right.
        swarm.Record(Peer(35), isSeeder: true, AnnounceEvent.None, 300);
        Assert.Equal(10, swarm.Count);
        Assert.Equal(6, swarm.Seeders);
        Assert.Equal(9, swarm.Expire(now: 250, _ => { }));
        Assert.Equal(Peer(35), Assert.Single(Sampled(swarm, Peer(999), false, 10)));
    }

    [Fact]
    public void Random_announces_and_expiry_agree_with_a_simple_model_across_the_index_threshold()
    {
        var random = new Random(4);
        var swarm = new PeerSwarm();
        var model = new Dictionary<PeerAddress, (bool Seeder, long ExpiresAt)>();
        for (long now = 1; now < 20_000; now++)
        {
            PeerAddress peer = Peer(random.Next(80));
            bool seeder = random.Next(3) == 0;
            if (random.Next(10) == 0)
            {
                swarm.Record(peer, seeder, AnnounceEvent.Stopped, 0);
                model.Remove(peer);
            }
            else
            {
                long expiresAt = now + random.Next(1, 400);
                swarm.Record(peer, seeder, AnnounceEvent.None, expiresAt);
                model[peer] = (seeder, expiresAt);
            }

            if (now % 250 == 0)
            {
                swarm.Expire(now, _ => { });
                foreach (PeerAddress gone in model.Where(p => p.Value.ExpiresAt <= now).Select(p => p.Key).ToList())
                {
                    model.Remove(gone);
                }

                Assert.Equal(model.Count, swarm.Count);
                Assert.Equal(model.Values.Count(v => v.Seeder), swarm.Seeders);
                Assert.True(model.Keys.ToHashSet().SetEquals(Sampled(swarm, Peer(999), false, 200)));
            }
        }
    }
}
