using System.Net;
using Shoal.Discovery.Dht;
using Shoal.Primitives;

namespace Shoal.Tests.Discovery.Dht;

public sealed class NodeIdRestrictionTests
{
    // BEP 42's test vectors: the first 21 bits and the last byte matter, the rest is random.
    [Theory]
    [InlineData("124.31.75.21", "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401")]
    [InlineData("21.75.31.124", "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256")]
    [InlineData("65.23.51.170", "a5d43220bc8f112a3d426c84764f8c2a1150e616")]
    [InlineData("84.124.73.14", "1b0321dd1bb1fe518101ceef99462b947a01ff41")]
    [InlineData("43.213.53.83", "e56f6cbf5b7c4be0237986d5243b87aa6d51305a")]
    public void The_bep_42_examples_conform_to_their_address(string address, string id)
    {
        Assert.True(NodeIdRestriction.Conforms(NodeId.Parse(id), IPAddress.Parse(address)));
        Assert.False(NodeIdRestriction.Conforms(NodeId.Parse(id), IPAddress.Parse("8.8.8.8")));
    }

    [Theory]
    [InlineData("124.31.75.21")]
    [InlineData("2001:db8:1234:5678::1")]
    [InlineData("::ffff:84.124.73.14")]
    public void Generated_ids_conform_and_differ(string address)
    {
        var random = new Random(42);
        IPAddress ip = IPAddress.Parse(address);
        NodeId first = NodeIdRestriction.Generate(ip, random);
        NodeId second = NodeIdRestriction.Generate(ip, random);

        Assert.True(NodeIdRestriction.Conforms(first, ip));
        Assert.True(NodeIdRestriction.Conforms(second, ip));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void An_id_one_bit_off_in_the_prefix_does_not_conform()
    {
        NodeId id = NodeId.Parse("5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401");
        NodeId flipped = id.Xor(NodeId.Parse("0000080000000000000000000000000000000000"));
        NodeId lowBitsFlipped = id.Xor(NodeId.Parse("0000070000000000000000000000000000000000"));

        Assert.False(NodeIdRestriction.Conforms(flipped, IPAddress.Parse("124.31.75.21")));
        Assert.True(NodeIdRestriction.Conforms(lowBitsFlipped, IPAddress.Parse("124.31.75.21")));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.3.4", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::ffff:192.168.0.2", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::5", true)]
    [InlineData("198.51.100.7", false)]
    [InlineData("2001:db8::1", false)]
    public void Local_addresses_are_exempt(string address, bool exempt)
    {
        Assert.Equal(exempt, AddressScope.IsLocal(IPAddress.Parse(address)));
        Assert.Equal(exempt, NodeIdRestriction.Conforms(NodeId.Parse("0000000000000000000000000000000000000000"), IPAddress.Parse(address)));
    }
}
