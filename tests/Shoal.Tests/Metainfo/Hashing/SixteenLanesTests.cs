using System.Security.Cryptography;
using Shoal.Metainfo.Hashing;

namespace Shoal.Tests.Metainfo.Hashing;

public class SixteenLanesTests
{
    private const int Stride = 20 * 64;

    // Lengths in whole blocks, fed in uneven updates: none, one block, a length whose padding needs
    // the length's high word, and every lane's full stride.
    private static readonly int[][] Updates = [[], [64], [64, 128, 640], [Stride]];

    [SixteenLanesFact]
    public void Sixteen_sha1_digests_equal_sha1_of_each_lane()
    {
        byte[] data = TempFolder.RandomBytes(16 * Stride, 1);
        var hasher = new Sha1x16();
        foreach (int[] updates in Updates)
        {
            byte[] digests = Run(hasher.Reset, hasher.Update, hasher.Finish, Sha1x16.HashSize, data, updates);
            AssertLanes(data, updates.Sum(), digests, Sha1x16.HashSize, SHA1.HashData);
        }
    }

    [SixteenLanesFact]
    public void Sixteen_sha256_digests_equal_sha256_of_each_lane()
    {
        byte[] data = TempFolder.RandomBytes(16 * Stride, 2);
        var hasher = new Sha256x16();
        foreach (int[] updates in Updates)
        {
            byte[] digests = Run(hasher.Reset, hasher.Update, hasher.Finish, Sha256x16.HashSize, data, updates);
            AssertLanes(data, updates.Sum(), digests, Sha256x16.HashSize, SHA256.HashData);
        }
    }

    [SixteenLanesFact]
    public void A_lane_past_the_buffer_or_a_partial_block_is_refused()
    {
        var hasher = new Sha1x16();
        byte[] data = new byte[16 * 64];
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.Update(data.AsSpan(1), 64, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.Update(data, 64, 32));
    }

    private delegate void Update(ReadOnlySpan<byte> data, int stride, int length);

    private delegate void Finish(Span<byte> digests);

    private static byte[] Run(Action reset, Update update, Finish finish, int hashSize, byte[] data, int[] updates)
    {
        reset();
        int offset = 0;
        foreach (int length in updates)
        {
            update(data.AsSpan(offset), Stride, length);
            offset += length;
        }

        var digests = new byte[16 * hashSize];
        finish(digests);
        return digests;
    }

    private static void AssertLanes(byte[] data, int length, byte[] digests, int hashSize, Func<byte[], byte[]> reference)
    {
        for (int lane = 0; lane < 16; lane++)
        {
            byte[] expected = reference(data.AsSpan(lane * Stride, length).ToArray());
            Assert.Equal(expected, digests.AsSpan(lane * hashSize, hashSize).ToArray());
        }
    }
}
