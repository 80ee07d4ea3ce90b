using System.Text;
using Shoal.Swarm;

namespace Shoal.Tests.Swarm;

public class ClosedPeerTotalsTests
{
    // Found by SwarmFuzzTests at 10 million messages: the totals kept an entry for every connection ever closed.
    [Fact]
    public void At_most_a_thousand_peers_are_kept_those_that_gave_most_and_none_that_gave_nothing()
    {
        var totals = new ClosedPeerTotals();
        for (int i = 0; i < 3000; i++)
        {
            totals.Add(Encoding.ASCII.GetBytes($"-TT0000-{i,12}"), i % 3 == 0 ? 0 : i);
        }

        Dictionary<string, long> kept = totals.Copy();
        Assert.Equal(ClosedPeerTotals.MaxPeers, kept.Count);
        Assert.Equal(1501, kept.Values.Min());
        Assert.DoesNotContain(kept.Values, downloaded => downloaded == 0);
    }

    [Fact]
    public void A_peer_id_seen_again_adds_to_its_total()
    {
        var totals = new ClosedPeerTotals();
        totals.Add("-TT0000-000000000001"u8, 10);
        totals.Add("-TT0000-000000000001"u8, 5);

        Assert.Equal(15, Assert.Single(totals.Copy()).Value);
    }
}
