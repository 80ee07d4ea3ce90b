using System.Diagnostics;
using Shoal.Net.Encryption;
using Xunit.Abstractions;

namespace Shoal.Tests.Net.Encryption;

public sealed class Rc4Tests(ITestOutputHelper output)
{
    /// <summary>
    /// RFC 6229, section 2: the keystream (the encryption of zeros) for the keys 0x0102...; a few of its offsets for
    /// each key length, including 1536, just past the 1024 bytes MSE discards.
    /// </summary>
    public static TheoryData<int, int, string> Rfc6229 => new()
    {
        { 40, 0, "b2396305f03dc027ccc3524a0a1118a8" },
        { 40, 16, "6982944f18fc82d589c403a47a0d0919" },
        { 40, 1520, "3294f744d8f9790507e70f62e5bbceea" },
        { 40, 1536, "d8729db41882259bee4f825325f5a130" },
        { 40, 4096, "ff25b58995996707e51fbdf08b34d875" },
        { 56, 0, "293f02d47f37c9b633f2af5285feb46b" },
        { 56, 16, "e620f1390d19bd84e2e0fd752031afc1" },
        { 56, 1536, "78b272c96e42eab4c60bd914e39d06e3" },
        { 64, 0, "97ab8a1bf0afb96132f2f67258da15a8" },
        { 64, 1536, "8369e1a965610be887fbd0c79162aafb" },
        { 80, 0, "ede3b04643e586cc907dc21851709902" },
        { 80, 1536, "8a0feddbac865a09bcd127fb562ed60a" },
        { 128, 0, "9ac7cc9a609d1ef7b2932899cde41b97" },
        { 128, 16, "5248c4959014126a6e8a84f11d1a9e1c" },
        { 128, 1536, "ffa0b514647ec04f6306b892ae661181" },
        { 128, 4096, "a36a4c301ae8ac13610ccbc12256cacc" },
        { 192, 1536, "0e317b3d1c73b9e9a4688f296d133a19" },
        { 256, 0, "eaa6bd25880bf93d3f5d1e4ca2611d91" },
        { 256, 1536, "3e34135c79db010200767651cf263073" },
    };

    [Theory]
    [MemberData(nameof(Rfc6229))]
    public void The_keystream_matches_RFC_6229(int keyBits, int offset, string expected)
    {
        byte[] key = [.. Enumerable.Range(1, keyBits / 8).Select(n => (byte)n)];
        var rc4 = new Rc4(key, discard: 0);
        rc4.Skip(offset);
        byte[] block = new byte[16];
        rc4.Apply(block);
        Assert.Equal(expected, Convert.ToHexStringLower(block));
    }

    [Theory]
    [InlineData("Key", "Plaintext", "bbf316e8d940af0ad3")]
    [InlineData("Wiki", "pedia", "1021bf0420")]
    [InlineData("Secret", "Attack at dawn", "45a01f645fc35b383552544b9bf5")]
    public void The_classic_vectors_encrypt_and_decrypt(string key, string plaintext, string ciphertext)
    {
        byte[] data = System.Text.Encoding.ASCII.GetBytes(plaintext);
        new Rc4(System.Text.Encoding.ASCII.GetBytes(key), discard: 0).Apply(data);
        Assert.Equal(ciphertext, Convert.ToHexStringLower(data));
        new Rc4(System.Text.Encoding.ASCII.GetBytes(key), discard: 0).Apply(data);
        Assert.Equal(plaintext, System.Text.Encoding.ASCII.GetString(data));
    }

    [Fact]
    public void MSE_discards_the_first_1024_bytes()
    {
        byte[] key = [.. Enumerable.Range(1, 20).Select(n => (byte)n)];
        var plain = new Rc4(key, discard: 0);
        byte[] skipped = new byte[Rc4.MseDiscard];
        plain.Apply(skipped);
        byte[] expected = new byte[64];
        plain.Apply(expected);

        byte[] actual = new byte[64];
        new Rc4(key).Apply(actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Applying_in_pieces_is_applying_at_once()
    {
        var random = new Random(6229);
        byte[] key = new byte[20];
        random.NextBytes(key);
        byte[] data = new byte[100_000];
        random.NextBytes(data);

        byte[] whole = data.ToArray();
        new Rc4(key).Apply(whole);

        byte[] pieces = data.ToArray();
        var rc4 = new Rc4(key);
        for (int at = 0; at < pieces.Length;)
        {
            int length = Math.Min(random.Next(0, 3000), pieces.Length - at);
            rc4.Apply(pieces.AsSpan(at, length));
            at += length;
        }

        Assert.Equal(whole, pieces);
        Assert.NotEqual(data, whole);
    }

    [Fact]
    public void A_key_is_1_to_256_bytes()
    {
        Assert.Throws<ArgumentException>(() => new Rc4([]));
        Assert.Throws<ArgumentException>(() => new Rc4(new byte[257]));
        _ = new Rc4(new byte[256]);
    }

    /// <summary>Not a benchmark (BenchmarkDotNet is for those): a rough figure, printed, with a floor far below any sane machine.</summary>
    [Fact]
    public void Throughput_is_printed()
    {
        var rc4 = new Rc4(new byte[20]);
        byte[] block = new byte[16 * 1024];
        rc4.Apply(block); // warm-up, and tiering
        const int Blocks = 8 * 1024; // 128 MiB
        double best = 0;
        for (int round = 0; round < 3; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            for (int n = 0; n < Blocks; n++)
            {
                rc4.Apply(block);
            }

            double megabytesPerSecond = Blocks * (double)block.Length / (1024 * 1024) / stopwatch.Elapsed.TotalSeconds;
            best = Math.Max(best, megabytesPerSecond);
        }

        output.WriteLine($"RC4: {best:0} MiB/s");
        Console.WriteLine($"RC4: {best:0} MiB/s");
        Assert.True(best > 20, $"RC4 ran at {best:0} MiB/s");
    }
}
