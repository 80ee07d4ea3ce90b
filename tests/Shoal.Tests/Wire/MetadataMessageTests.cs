using System.Text;
using Shoal.Wire;

namespace Shoal.Tests.Wire;

public class MetadataMessageTests
{
    [Fact]
    public void A_request_is_the_bencoded_dictionary_of_bep_9()
    {
        Assert.Equal("d8:msg_typei0e5:piecei3ee", Encoding.ASCII.GetString(MetadataMessage.Request(3).Encode()));
        Assert.Equal("d8:msg_typei2e5:piecei1ee", Encoding.ASCII.GetString(MetadataMessage.Reject(1).Encode()));
    }

    [Fact]
    public void Data_is_the_dictionary_followed_by_the_raw_bytes()
    {
        byte[] encoded = MetadataMessage.DataPiece(0, 5, "hello"u8.ToArray()).Encode();
        Assert.Equal("d8:msg_typei1e5:piecei0e10:total_sizei5eehello", Encoding.ASCII.GetString(encoded));

        MetadataMessage parsed = MetadataMessage.Parse(encoded);
        Assert.Equal(MetadataMessageType.Data, parsed.Type);
        Assert.Equal(0, parsed.Piece);
        Assert.Equal(5, parsed.TotalSize);
        Assert.Equal("hello"u8.ToArray(), parsed.Data.ToArray());
    }

    [Fact]
    public void Unknown_keys_are_ignored()
    {
        MetadataMessage parsed = MetadataMessage.Parse("d1:xi9e8:msg_typei0e5:piecei7ee"u8.ToArray());
        Assert.Equal(MetadataMessage.Request(7), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("le")]
    [InlineData("d5:piecei0ee")]
    [InlineData("d8:msg_typei3e5:piecei0ee")]
    [InlineData("d8:msg_typei0e5:piecei-1ee")]
    [InlineData("d8:msg_typei1e5:piecei0ee")]
    [InlineData("d8:msg_typei0e5:piecei0e")]
    public void A_malformed_message_is_a_protocol_error(string payload) =>
        Assert.Throws<PeerProtocolException>(() => MetadataMessage.Parse(Encoding.ASCII.GetBytes(payload)));

    [Fact]
    public void The_extension_handshake_carries_ut_metadata_and_metadata_size()
    {
        var handshake = new ExtensionHandshake
        {
            Extensions = new Dictionary<string, byte> { [MetadataMessage.ExtensionName] = LocalExtensionIds.UtMetadata },
            MetadataSize = 31_235,
        };
        ExtensionHandshake parsed = ExtensionHandshake.Parse(handshake.Encode());
        Assert.Equal(LocalExtensionIds.UtMetadata, parsed.Extensions[MetadataMessage.ExtensionName]);
        Assert.Equal(31_235, parsed.MetadataSize);
    }
}
