using System.Net;
using Shoal.Discovery.Dht;

namespace Shoal.Tests.Discovery.Dht;

public sealed class DhtAddressVotesTests
{
    private static readonly IPAddress Ours = IPAddress.Parse("198.51.100.7");
    private static readonly IPAddress Lie = IPAddress.Parse("203.0.113.9");

    private static IPAddress Voter(int n) => IPAddress.Parse($"192.0.2.{n}");

    [Fact]
    public void An_address_wins_once_a_quorum_of_distinct_voters_names_it()
    {
        var votes = new DhtAddressVotes(quorum: 3, maxVoters: 64);
        votes.Add(Voter(1), Ours);
        votes.Add(Voter(1), Ours);
        votes.Add(Voter(2), Ours);
        Assert.Null(votes.Leader);

        votes.Add(Voter(3), Ours);
        Assert.Equal(Ours, votes.Leader);
    }

    [Fact]
    public void A_tie_keeps_the_leader_and_a_majority_moves_it()
    {
        var votes = new DhtAddressVotes(quorum: 2, maxVoters: 64);
        votes.Add(Voter(1), Ours);
        votes.Add(Voter(2), Ours);
        votes.Add(Voter(3), Lie);
        votes.Add(Voter(4), Lie);
        Assert.Equal(Ours, votes.Leader);

        votes.Add(Voter(5), Lie);
        Assert.Equal(Lie, votes.Leader);
    }

    [Fact]
    public void An_ipv4_address_with_a_quorum_wins_over_more_ipv6_voters()
    {
        var votes = new DhtAddressVotes(quorum: 2, maxVoters: 64);
        IPAddress v6 = IPAddress.Parse("2001:db8::7");
        for (int n = 1; n <= 5; n++)
        {
            votes.Add(IPAddress.Parse($"2001:db8::{n + 100}"), v6);
        }

        Assert.Equal(v6, votes.Leader);
        votes.Add(Voter(1), Ours);
        votes.Add(Voter(2), Ours);
        Assert.Equal(Ours, votes.Leader);
    }

    [Fact]
    public void Local_addresses_do_not_count_and_old_voters_are_forgotten()
    {
        var votes = new DhtAddressVotes(quorum: 1, maxVoters: 4);
        votes.Add(Voter(1), IPAddress.Parse("192.168.1.20"));
        votes.Add(Voter(2), IPAddress.Loopback);
        Assert.Null(votes.Leader);
        Assert.Equal(0, votes.Voters);

        for (int n = 1; n <= 10; n++)
        {
            votes.Add(Voter(n), Ours);
        }

        Assert.Equal(4, votes.Voters);
        Assert.Equal(Ours, votes.Leader);
    }
}
