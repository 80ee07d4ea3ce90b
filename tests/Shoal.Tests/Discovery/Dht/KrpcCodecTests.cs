using System.Net;
using System.Text;
using Shoal.Discovery.Dht;

namespace Shoal.Tests.Discovery.Dht;

public sealed class KrpcCodecTests
{
    private static readonly NodeId Abcdef = NodeId.Read("abcdefghij0123456789"u8);
    private static readonly NodeId Mnop = NodeId.Read("mnopqrstuvwxyz123456"u8);

    [Theory]
    [InlineData("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")]
    [InlineData("d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe")]
    [InlineData("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe")]
    [InlineData("d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe")]
    [InlineData("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re")]
    [InlineData("d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re")]
    [InlineData("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")]
    public void Bep5_examples_decode_and_encode_back_byte_for_byte(string bencoded)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(bencoded);
        KrpcMessage message = KrpcDecoder.Decode(bytes);
        Assert.Equal(bytes, KrpcEncoder.Encode(message));
    }

    [Fact]
    public void Announce_peer_example_has_its_fields()
    {
        var query = (KrpcQuery)KrpcDecoder.Decode("d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe"u8.ToArray());
        Assert.Equal(KrpcQueryKind.AnnouncePeer, query.Kind);
        Assert.Equal(Abcdef, query.Sender);
        Assert.Equal(Mnop, query.Target);
        Assert.Equal(6881, query.Port);
        Assert.True(query.ImpliedPort);
        Assert.Equal("aoeusnth"u8.ToArray(), query.Token.ToArray());
        Assert.Equal("aa"u8.ToArray(), query.TransactionId.ToArray());
    }

    [Fact]
    public void Get_peers_values_example_decodes_compact_peers()
    {
        var response = (KrpcResponse)KrpcDecoder.Decode("d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re"u8.ToArray());
        Assert.Equal(new IPEndPoint(IPAddress.Parse("97.120.106.101"), 11893), response.Values[0]);
        Assert.Equal(2, response.Values.Count);
    }

    [Fact]
    public void Response_with_ipv4_and_ipv6_nodes_round_trips_and_read_only_flag_survives()
    {
        NodeInfo v4 = new(Abcdef, new IPEndPoint(IPAddress.Parse("10.1.2.3"), 6881));
        NodeInfo v6 = new(Mnop, new IPEndPoint(IPAddress.Parse("2001:db8::1"), 6882));
        var response = new KrpcResponse
        {
            TransactionId = new byte[] { 1, 2 },
            Sender = Mnop,
            Nodes = [v4, v6],
            Values = [new IPEndPoint(IPAddress.Parse("2001:db8::2"), 80)],
            Token = new byte[] { 9 },
            ReadOnly = true,
        };
        byte[] bytes = KrpcEncoder.Encode(response);
        Assert.Contains("6:nodes638:", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        var decoded = (KrpcResponse)KrpcDecoder.Decode(bytes);
        Assert.Equal([v4, v6], decoded.Nodes);
        Assert.Equal(response.Values, decoded.Values);
        Assert.True(decoded.ReadOnly);
        Assert.Equal(bytes, KrpcEncoder.Encode(decoded));
    }

    [Fact]
    public void Unknown_method_decodes_as_unknown()
    {
        var query = (KrpcQuery)KrpcDecoder.Decode("d1:ad2:id20:abcdefghij0123456789e1:q3:foo1:t2:aa1:y1:qe"u8.ToArray());
        Assert.Equal(KrpcQueryKind.Unknown, query.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("le")]
    [InlineData("d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:aa1:y1:qe")]
    [InlineData("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:y1:qe")]
    [InlineData("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t0:1:y1:qe")]
    [InlineData("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:xe")]
    [InlineData("d1:rd2:id20:abcdefghij01234567895:nodes25:abcdefghij0123456789abcdee1:t2:aa1:y1:re")]
    [InlineData("d1:rd2:id20:abcdefghij01234567896:valuesl5:abcdeee1:t2:aa1:y1:re")]
    [InlineData("d1:rd2:id20:abcdefghij01234567895:token0:e1:t2:aa1:y1:re")]
    [InlineData("d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti70000e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe")]
    [InlineData("d1:eli201ee1:t2:aa1:y1:ee")]
    [InlineData("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe trailing")]
    public void Malformed_packets_throw_krpc_exception(string bencoded)
    {
        Assert.Throws<KrpcException>(() => KrpcDecoder.Decode(Encoding.Latin1.GetBytes(bencoded)));
    }

    [Fact]
    public void Oversized_packets_and_tokens_are_rejected()
    {
        Assert.Throws<KrpcException>(() => KrpcDecoder.Decode(new byte[KrpcDecoder.MaxPacketSize + 1]));
        string token = new('x', KrpcDecoder.MaxTokenLength + 1);
        Assert.Throws<KrpcException>(() => KrpcDecoder.Decode(Encoding.Latin1.GetBytes(
            $"d1:rd2:id20:abcdefghij01234567895:token{token.Length}:{token}e1:t2:aa1:y1:re")));
    }
}
