using System.Net;
using Shoal.Net;

namespace Shoal.Tests.Net.PortMapping;

public sealed class ExternalAddressVotesTests
{
    private static readonly IPAddress Public = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Other = IPAddress.Parse("198.51.100.9");

    [Fact]
    public void The_address_most_distinct_peers_report_wins_and_a_peer_counts_once()
    {
        var votes = new ExternalAddressVotes();
        votes.Report(Other, ExternalAddressSource.Peers, "10.0.0.1");
        votes.Report(Other, ExternalAddressSource.Peers, "10.0.0.1");
        votes.Report(Public, ExternalAddressSource.Peers, "10.0.0.2");
        votes.Report(Public, ExternalAddressSource.Tracker, "http://tracker/announce");

        // Two reporters to one; said by a peer and a tracker alike, the tracker is named.
        Assert.Equal((Public, ExternalAddressSource.Tracker), votes.Current);
        votes.Report(Public, ExternalAddressSource.Peers, "10.0.0.4");
        Assert.Equal((Public, ExternalAddressSource.Peers), votes.Current);

        // A reporter's newer word replaces its older.
        votes.Report(Other, ExternalAddressSource.Peers, "10.0.0.2");
        votes.Report(Other, ExternalAddressSource.Peers, "10.0.0.4");
        votes.Report(Other, ExternalAddressSource.Dht, "10.0.0.3");

        Assert.Equal(Other, votes.Current?.Address);
    }

    [Fact]
    public void A_public_gateway_address_wins_a_private_one_only_without_other_word()
    {
        var votes = new ExternalAddressVotes();
        votes.Report(IPAddress.Parse("100.64.1.2"), ExternalAddressSource.Gateway, "192.168.1.1");
        Assert.Equal((IPAddress.Parse("100.64.1.2"), ExternalAddressSource.Gateway), votes.Current);

        votes.Report(Other, ExternalAddressSource.Peers, "10.0.0.1");
        Assert.Equal((Other, ExternalAddressSource.Peers), votes.Current);

        votes.Report(Public, ExternalAddressSource.Gateway, "192.168.1.1");
        Assert.Equal((Public, ExternalAddressSource.Gateway), votes.Current);
    }

    [Fact]
    public void Loopback_and_unspecified_say_nothing_and_a_mapped_ipv4_is_ipv4()
    {
        var votes = new ExternalAddressVotes();
        int changes = 0;
        votes.Changed += () => changes++;

        votes.Report(IPAddress.Loopback, ExternalAddressSource.Peers, "127.0.0.1");
        votes.Report(IPAddress.Any, ExternalAddressSource.Peers, "10.0.0.1");
        Assert.Null(votes.Current);

        votes.Report(Public.MapToIPv6(), ExternalAddressSource.Peers, "10.0.0.1");
        Assert.Equal(Public, votes.Current?.Address);
        Assert.Equal(1, changes);
    }

    [Fact]
    public void Reporters_are_bounded_the_oldest_forgotten()
    {
        var votes = new ExternalAddressVotes();
        for (int i = 0; i < ExternalAddressVotes.MaxReporters; i++)
        {
            votes.Report(Other, ExternalAddressSource.Peers, $"peer {i}");
        }

        for (int i = 0; i < ExternalAddressVotes.MaxReporters / 2 + 1; i++)
        {
            votes.Report(Public, ExternalAddressSource.Peers, $"newcomer {i}");
        }

        Assert.Equal(Public, votes.Current?.Address);
    }

    [Theory]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.128.0.1", true)]
    [InlineData("169.254.1.1", false)]
    [InlineData("203.0.113.7", true)]
    [InlineData("fd00::1", false)]
    [InlineData("2001:db8::1", true)]
    public void Public_means_routed_on_the_internet(string address, bool isPublic)
    {
        Assert.Equal(isPublic, ExternalAddressVotes.IsPublic(IPAddress.Parse(address)));
    }
}
