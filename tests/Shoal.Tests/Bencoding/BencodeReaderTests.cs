using System.Text;
using Shoal.Bencoding;

namespace Shoal.Tests.Bencoding;

public class BencodeReaderTests
{
    private static BValue Decode(string text, BencodeLimits? limits = null) =>
        BencodeDecoder.Decode(Encoding.UTF8.GetBytes(text), limits);

    [Theory]
    [InlineData("i0e", 0L)]
    [InlineData("i42e", 42L)]
    [InlineData("i-3e", -3L)]
    [InlineData("i9223372036854775807e", long.MaxValue)]
    [InlineData("i-9223372036854775808e", long.MinValue)]
    public void Decodes_integers(string text, long expected) =>
        Assert.Equal(expected, Assert.IsType<BInteger>(Decode(text)).Value);

    [Theory]
    [InlineData("i-0e", "negative zero", 0)]
    [InlineData("i03e", "leading zero", 0)]
    [InlineData("i-03e", "leading zero", 0)]
    [InlineData("ie", "no digits", 0)]
    [InlineData("i-e", "no digits", 0)]
    [InlineData("i12", "unterminated", 0)]
    [InlineData("i1x2e", "in integer", 2)]
    [InlineData("i9223372036854775808e", "64-bit range", 0)]
    [InlineData("i99999999999999999999999e", "64-bit range", 0)]
    [InlineData("5:abc", "longer than the 3 bytes left", 0)]
    [InlineData("03:abc", "leading zero", 0)]
    [InlineData("3abc", "in string length", 1)]
    [InlineData("l4:spam", "unexpected end of input", 7)]
    [InlineData("d3:cow3:mooi1ee", "key must be a string", 11)]
    [InlineData("d3:cowe", "key has no value", 6)]
    [InlineData("d1:bi1e1:ai2ee", null, -1)]
    [InlineData("d1:ai1e1:ai2ee", "duplicate dictionary key", 7)]
    [InlineData("e", "outside a list", 0)]
    [InlineData("x", "unexpected byte 0x78", 0)]
    [InlineData("", "empty input", 0)]
    [InlineData("i1ei2e", "unexpected bytes after the value", 3)]
    public void Rejects_malformed_input_with_offset(string text, string? problem, int offset)
    {
        if (problem is null)
        {
            Assert.IsType<BDictionary>(Decode(text));
            return;
        }

        var error = Assert.Throws<BencodeException>(() => Decode(text));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Offset);
        Assert.EndsWith($"at byte {offset}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsorted_keys_are_rejected_only_when_required()
    {
        Assert.IsType<BDictionary>(Decode("d1:bi1e1:ai2ee"));
        var error = Assert.Throws<BencodeException>(() => Decode("d1:bi1e1:ai2ee", BencodeLimits.Default with { RequireSortedKeys = true }));
        Assert.Contains("not sorted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_keys_are_found_in_unsorted_dictionaries()
    {
        var error = Assert.Throws<BencodeException>(() => Decode("d1:ci1e1:ai2e1:ci3ee"));
        Assert.Contains("duplicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_is_limited_to_100_levels()
    {
        string ok = new string('l', 100) + new string('e', 100);
        Assert.IsType<BList>(Decode(ok));
        string deep = new string('l', 101) + new string('e', 101);
        var error = Assert.Throws<BencodeException>(() => Decode(deep));
        Assert.Contains("deeper than 100", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, error.Offset);
    }

    [Fact]
    public void Token_count_is_limited()
    {
        string many = "l" + string.Concat(Enumerable.Repeat("i1e", 11)) + "e";
        var error = Assert.Throws<BencodeException>(() => Decode(many, BencodeLimits.Default with { MaxTokens = 10 }));
        Assert.Contains("more than 10 tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_raw_byte_ranges_of_nested_values()
    {
        byte[] input = Encoding.UTF8.GetBytes("d4:infod4:name1:xe3:zzzi1ee");
        var root = Assert.IsType<BDictionary>(BencodeDecoder.Decode(input));
        BValue info = root["info"]!;
        Assert.Equal("d4:name1:xe", Encoding.UTF8.GetString(input.AsSpan(info.SourceRange)));
        Assert.Equal(0, root.SourceStart);
        Assert.Equal(input.Length, root.SourceLength);
    }

    [Fact]
    public void Strings_share_memory_with_the_input()
    {
        byte[] input = Encoding.UTF8.GetBytes("4:spam");
        var value = Assert.IsType<BString>(BencodeDecoder.Decode(input));
        input[2] = (byte)'S';
        Assert.Equal("Spam", value.Text);
    }

    [Fact]
    public void Reader_walks_tokens_without_building_values()
    {
        var reader = new BencodeReader("d3:bard1:xi1ee3:fool1:a1:bee"u8);
        var kinds = new List<BencodeTokenKind>();
        while (reader.Read())
        {
            kinds.Add(reader.TokenKind);
            if (reader.TokenKind == BencodeTokenKind.String && reader.IsKey && reader.StringValue.SequenceEqual("bar"u8))
            {
                reader.Read();
                reader.SkipValue();
            }
        }

        Assert.Equal(
            [BencodeTokenKind.DictionaryStart, BencodeTokenKind.String, BencodeTokenKind.String, BencodeTokenKind.ListStart,
             BencodeTokenKind.String, BencodeTokenKind.String, BencodeTokenKind.End, BencodeTokenKind.End],
            kinds);
    }

    [Fact]
    public void Writer_sorts_dictionary_keys_by_raw_bytes()
    {
        var dictionary = new BDictionary()
            .Set("zeta", new BInteger(1))
            .Set("Alpha", new BList([new BString("x"), new BInteger(-5)]))
            .Set("alpha", new BDictionary());
        Assert.Equal("d5:Alphal1:xi-5ee5:alphade4:zetai1ee", Encoding.UTF8.GetString(dictionary.Encode()));
    }

    [Fact]
    public void Large_dictionaries_look_up_keys_by_index()
    {
        var dictionary = new BDictionary();
        for (int i = 0; i < 1000; i++)
        {
            dictionary.Set($"k{i:D4}", new BInteger(i));
        }

        dictionary.Set("k0500", new BInteger(-1));
        Assert.Equal(1000, dictionary.Count);
        Assert.Equal(-1, Assert.IsType<BInteger>(dictionary["k0500"]).Value);
        Assert.Equal(999, Assert.IsType<BInteger>(dictionary["k0999"]).Value);
        Assert.Null(dictionary["missing"]);
    }
}
