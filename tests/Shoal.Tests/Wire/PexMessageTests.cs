using System.Net;
using System.Text;
using Shoal.Wire;

namespace Shoal.Tests.Wire;

public class PexMessageTests
{
    [Fact]
    public void Added_peers_of_both_families_keep_their_flags_and_dropped_peers_round_trip()
    {
        var message = new PexMessage
        {
            Added =
            [
                new PexPeer(IPEndPoint.Parse("10.0.0.1:6881"), PexPeer.SeedFlag),
                new PexPeer(IPEndPoint.Parse("[2001:db8::1]:51413"), 0),
                new PexPeer(IPEndPoint.Parse("10.0.0.2:1"), 0),
            ],
            Dropped = [IPEndPoint.Parse("192.168.1.9:80"), IPEndPoint.Parse("[::1]:2")],
        };

        PexMessage parsed = PexMessage.Parse(message.Encode(), maxPeers: 200);

        Assert.Equal(
            [message.Added[0], message.Added[2], message.Added[1]],
            parsed.Added);
        Assert.Equal(message.Dropped, parsed.Dropped);
    }

    [Fact]
    public void The_encoding_uses_the_bep_11_keys_and_compact_form()
    {
        var message = new PexMessage { Added = [new PexPeer(IPEndPoint.Parse("1.2.3.4:258"), PexPeer.SeedFlag)] };
        Assert.Equal(
            "d5:added6:\u0001\u0002\u0003\u0004\u0001\u00027:added.f1:\u00026:added60:8:added6.f0:7:dropped0:8:dropped60:e",
            Encoding.Latin1.GetString(message.Encode()));
    }

    [Fact]
    public void At_most_max_peers_are_taken_from_one_message()
    {
        var message = new PexMessage { Added = [.. Enumerable.Range(1, 300).Select(i => new PexPeer(new IPEndPoint(IPAddress.Loopback, i), 0))] };
        Assert.Equal(200, PexMessage.Parse(message.Encode(), maxPeers: 200).Added.Count);
    }

    [Fact]
    public void Flags_of_the_wrong_length_are_ignored()
    {
        PexMessage parsed = PexMessage.Parse("d5:added6:\u0001\u0002\u0003\u0004\u0001\u00027:added.f2:xxe"u8.ToArray(), 200);
        Assert.Equal(new PexPeer(IPEndPoint.Parse("1.2.3.4:258"), 0), Assert.Single(parsed.Added));
    }

    [Theory]
    [InlineData("le")]
    [InlineData("d5:added5:12345e")]
    [InlineData("d8:dropped617:12345678901234567e")]
    public void A_malformed_message_is_a_protocol_error(string payload) =>
        Assert.Throws<PeerProtocolException>(() => PexMessage.Parse(Encoding.Latin1.GetBytes(payload), 200));
}
