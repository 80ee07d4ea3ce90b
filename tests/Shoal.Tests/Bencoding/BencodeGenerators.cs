using FsCheck;
using FsCheck.Fluent;
using Shoal.Bencoding;

namespace Shoal.Tests.Bencoding;

/// <summary>FsCheck generators of random bencode trees.</summary>
public static class BencodeGenerators
{
    public static Arbitrary<BValue> Values { get; } = Arb.From(Gen.Sized(size => Value(Math.Min(size, 6))));

    private static Gen<BValue> Leaf { get; } = Gen.OneOf(
        ArbMap.Default.GeneratorFor<long>().Select(i => (BValue)new BInteger(i)),
        ArbMap.Default.GeneratorFor<byte[]>().Select(b => (BValue)new BString(b)));

    private static Gen<BValue> Value(int depth) => depth <= 0
        ? Leaf
        : Gen.Frequency(
        [
            (3, Leaf),
            (1, Gen.Choose(0, 5).SelectMany(n => Gen.ListOf(Value(depth - 1), n)).Select(items => (BValue)new BList(items))),
            (1, Gen.Choose(0, 5).SelectMany(n => Gen.ListOf(Entry(depth - 1), n)).Select(entries => (BValue)Dictionary(entries))),
        ]);

    private static Gen<(byte[] Key, BValue Value)> Entry(int depth) =>
        from key in ArbMap.Default.GeneratorFor<byte[]>()
        from value in Value(depth)
        select (key, value);

    private static BDictionary Dictionary(IEnumerable<(byte[] Key, BValue Value)> entries)
    {
        var dictionary = new BDictionary();
        foreach (var (key, value) in entries)
        {
            dictionary.Set(new BString(key), value);
        }

        return dictionary;
    }

    /// <summary>Structural equality; dictionaries compare as key sets.</summary>
    public static bool SameValue(BValue a, BValue b) => (a, b) switch
    {
        (BInteger x, BInteger y) => x.Value == y.Value,
        (BString x, BString y) => x.Span.SequenceEqual(y.Span),
        (BList x, BList y) => x.Count == y.Count && x.Zip(y).All(p => SameValue(p.First, p.Second)),
        (BDictionary x, BDictionary y) => x.Count == y.Count
            && x.All(e => y.TryGetValue(e.Key.Span, out BValue other) && SameValue(e.Value, other)),
        _ => false,
    };
}
