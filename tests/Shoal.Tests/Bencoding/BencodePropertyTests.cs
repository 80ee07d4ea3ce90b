using FsCheck;
using FsCheck.Fluent;
using Shoal.Bencoding;

namespace Shoal.Tests.Bencoding;

public class BencodePropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(1000);

    [Fact]
    public void Encode_then_decode_gives_back_the_value() =>
        Check.One(Runs, Prop.ForAll(BencodeGenerators.Values, value =>
            BencodeGenerators.SameValue(value, BencodeDecoder.Decode(value.Encode()))));

    [Fact]
    public void A_canonical_encoding_decodes_and_re_encodes_to_the_same_bytes() =>
        Check.One(Runs, Prop.ForAll(BencodeGenerators.Values, value =>
        {
            byte[] canonical = value.Encode();
            BValue decoded = BencodeDecoder.Decode(canonical, BencodeLimits.Default with { RequireSortedKeys = true });
            return decoded.Encode().AsSpan().SequenceEqual(canonical) && decoded.SourceLength == canonical.Length;
        }));
}
