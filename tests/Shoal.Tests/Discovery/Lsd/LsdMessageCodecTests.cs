using System.Text;
using Shoal.Discovery.Lsd;
using Shoal.Metainfo;
using Shoal.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Shoal.Tests.Discovery.Lsd;

public class LsdMessageCodecTests(ITestOutputHelper output)
{
    private const string HashA = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    private const string HashB = "0123456789abcdef0123456789abcdef01234567";

    private static InfoHash Hash(int seed) => new(Enumerable.Repeat((byte)seed, InfoHash.V1Length).ToArray());

    private static LsdMessage Decode(string text) => LsdMessageCodec.Decode(Encoding.Latin1.GetBytes(text));

    [Fact]
    public void Writes_the_bep_14_format()
    {
        byte[] bytes = LsdMessageCodec.Encode(new LsdMessage("239.192.152.143:6771", 6881, [InfoHash.FromHex(HashA)], "abc"));

        Assert.Equal(
            $"BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\nPort: 6881\r\nInfohash: {HashA}\r\ncookie: abc\r\n\r\n\r\n",
            Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void Round_trips_one_or_many_hashes_with_or_without_cookie_and_host()
    {
        LsdMessage[] messages =
        [
            new("239.192.152.143:6771", 1, [Hash(1)], "cookie"),
            new("[ff15::efc0:988f]:6771", 65535, [.. Enumerable.Range(0, LsdMessageCodec.BatchCapacity).Select(Hash)], null),
            new(null, 6881, [Hash(7), Hash(8)], null),
        ];

        foreach (LsdMessage message in messages)
        {
            Assert.Equal(message, LsdMessageCodec.Decode(LsdMessageCodec.Encode(message)));
        }
    }

    [Fact]
    public void A_full_batch_with_the_longest_host_and_cookie_fits_in_1400_bytes()
    {
        var message = new LsdMessage(
            "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535",
            65535,
            [.. Enumerable.Range(0, LsdMessageCodec.BatchCapacity).Select(Hash)],
            new string('c', LsdMessageCodec.MaxCookieLength));

        Assert.InRange(LsdMessageCodec.Encode(message).Length, 1300, LsdMessageCodec.MaxMessageSize);
        Assert.Throws<ArgumentException>(() => LsdMessageCodec.Encode(message with { InfoHashes = [.. message.InfoHashes, Hash(200)] }));
    }

    [Fact]
    public void Reads_leniently_bare_line_feeds_any_case_spaces_unknown_headers_and_no_final_blank_line()
    {
        LsdMessage message = Decode(
            $"BT-SEARCH * HTTP/1.1\nhost:239.192.152.143:6771\nX-Other: 1\nPORT:   6881  \nINFOHASH: {HashA.ToUpperInvariant()}\ninfohash: {HashB}\ninfohash: {HashA}\nCookie: xyz");

        Assert.Equal(new LsdMessage("239.192.152.143:6771", 6881, [InfoHash.FromHex(HashA), InfoHash.FromHex(HashB)], "xyz"), message);
    }

    [Fact]
    public void Stops_at_the_blank_line()
    {
        LsdMessage message = Decode($"BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: {HashA}\r\n\r\nInfohash: nonsense\r\n");

        Assert.Equal([InfoHash.FromHex(HashA)], message.InfoHashes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("M-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + HashA + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nInfohash: " + HashA + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: " + HashA + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 65536\r\nInfohash: " + HashA + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: -1\r\nInfohash: " + HashA + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nPort: 2\r\nInfohash: " + HashA + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + HashA + "0\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: " + "g123456789abcdef0123456789abcdef01234567" + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nno colon\r\nInfohash: " + HashA + "\r\n\r\n")]
    public void Rejects_malformed_announces(string text)
    {
        Assert.Throws<LsdMessageException>(() => Decode(text));
    }

    [Fact]
    public void Rejects_more_than_32_hashes_and_more_than_1400_bytes()
    {
        string hashes = string.Concat(Enumerable.Range(0, 33).Select(i => $"Infohash:{Hash(i).ToHex()}\n"));
        Assert.Throws<LsdMessageException>(() => Decode($"BT-SEARCH * HTTP/1.1\nPort:1\n{hashes}"));

        string padded = $"BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: {HashA}\r\nX: {new string('x', 1400)}\r\n\r\n";
        Assert.Throws<LsdMessageException>(() => Decode(padded));
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Mutated_announces_only_raise_lsd_message_exceptions()
    {
        byte[] seed = LsdMessageCodec.Encode(new LsdMessage("239.192.152.143:6771", 6881, [Hash(1), Hash(2), Hash(3)], "cookie"));
        var mutator = new Mutator(1414);
        FuzzResult result = FuzzRun.Run(output, "lsd announce", 5000, i => i % 10 == 0 ? mutator.RandomBytes(1500) : mutator.Mutate(seed), input =>
            FuzzRun.Accepts<LsdMessageException>(() =>
            {
                LsdMessage message = LsdMessageCodec.Decode(input);
                Assert.InRange(message.Port, 1, 65535);
                Assert.InRange(message.InfoHashes.Count, 1, LsdMessageCodec.MaxInfoHashes);
            }));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }
}
