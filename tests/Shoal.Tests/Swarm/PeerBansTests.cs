using System.Net;
using System.Text;
using Shoal.Swarm;

namespace Shoal.Tests.Swarm;

public sealed class PeerBansTests
{
    private static readonly IPAddress Router = IPAddress.Parse("198.51.100.7");

    [Fact]
    public void A_ban_is_for_one_peer_id_at_its_address()
    {
        var bans = new PeerBans();
        Assert.False(bans.Ban(Peer(Router, "cheat")));

        Assert.True(bans.IsBanned(Peer(Router, "cheat")));
        Assert.False(bans.IsBanned(Peer(Router, "neighbour")));
        Assert.False(bans.IsBanned(Peer(IPAddress.Parse("198.51.100.8"), "cheat")));
        Assert.False(bans.IsAddressBanned(Router));
    }

    [Fact]
    public void A_cheat_that_keeps_changing_its_peer_id_gets_its_address_banned_at_the_third()
    {
        var bans = new PeerBans();
        Assert.False(bans.Ban(Peer(Router, "cheat-1")));
        Assert.False(bans.Ban(Peer(Router, "cheat-1")));
        Assert.False(bans.Ban(Peer(Router, "cheat-2")));
        Assert.False(bans.IsAddressBanned(Router));

        Assert.True(bans.Ban(Peer(Router, "cheat-3")));

        Assert.True(bans.IsAddressBanned(Router));
        Assert.True(bans.IsBanned(Peer(Router, "anyone")));
        Assert.False(bans.Ban(Peer(Router, "cheat-4")), "the address was banned already");
    }

    [Fact]
    public void Bans_are_bounded_and_the_oldest_is_lifted_first()
    {
        var bans = new PeerBans();
        for (int i = 0; i <= PeerBans.MaxBans; i++)
        {
            bans.Ban(Peer(new IPAddress(0x0A000000 + i), "cheat"));
        }

        Assert.False(bans.IsBanned(Peer(new IPAddress(0x0A000000), "cheat")), "the oldest ban was kept past the bound");
        Assert.True(bans.IsBanned(Peer(new IPAddress(0x0A000001), "cheat")));
        Assert.True(bans.IsBanned(Peer(new IPAddress(0x0A000000 + PeerBans.MaxBans), "cheat")));
    }

    private static PeerKey Peer(IPAddress address, string peerId) => PeerKey.Of(address, Encoding.ASCII.GetBytes(peerId.PadRight(20, '-')));
}
