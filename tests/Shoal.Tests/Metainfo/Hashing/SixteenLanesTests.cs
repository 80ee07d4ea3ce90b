using System.Security.Cryptography;
using Shoal.Metainfo.Hashing;

namespace Shoal.Tests.Metainfo.Hashing;

public class SixteenLanesTests
{
    private const int Stride = 20 * 64;

    // Lengths in whole blocks, fed in uneven updates: none, one block, several updates, and every lane's full stride.
    private static readonly int[][] Updates = [[], [64], [64, 128, 640], [Stride]];

    [SixteenLanesFact]
    public void Sixteen_sha1_digests_equal_sha1_of_each_lane() =>
        AssertEachLane<Sha1x16, Sha1x16.State>(Sha1x16.HashSize, SHA1.HashData, seed: 1);

    [SixteenLanesFact]
    public void Sixteen_sha256_digests_equal_sha256_of_each_lane() =>
        AssertEachLane<Sha256x16, Sha256x16.State>(Sha256x16.HashSize, SHA256.HashData, seed: 2);

    [SixteenLanesFact]
    public void A_lane_past_the_buffer_or_a_partial_block_is_refused()
    {
        var hasher = new SixteenLaneHasher<Sha1x16, Sha1x16.State>();
        byte[] data = new byte[16 * 64];
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.Update(data.AsSpan(1), 64, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.Update(data, 64, 32));
    }

    [SixteenLanesFact]
    public void Lanes_in_separate_buffers_hash_as_sixteen_messages_of_their_own()
    {
        // Each lane's message in three pieces, each in its own buffer at its own offset, as received blocks are.
        byte[][] messages = [.. Enumerable.Range(0, 16).Select(lane => TempFolder.RandomBytes(3 * 128, 10 + lane))];
        var hasher = new SixteenLaneHasher<Sha1x16, Sha1x16.State>();
        byte[][] arrays = new byte[16][];
        int[] offsets = new int[16];
        for (int part = 0; part < 3; part++)
        {
            for (int lane = 0; lane < 16; lane++)
            {
                offsets[lane] = lane * 64;
                arrays[lane] = new byte[offsets[lane] + 128];
                messages[lane].AsSpan(part * 128, 128).CopyTo(arrays[lane].AsSpan(offsets[lane]));
            }

            hasher.Update(arrays, offsets, 128);
        }

        var digests = new byte[16 * Sha1x16.HashSize];
        hasher.Finish(digests);
        for (int lane = 0; lane < 16; lane++)
        {
            Assert.Equal(SHA1.HashData(messages[lane]), digests.AsSpan(lane * Sha1x16.HashSize, Sha1x16.HashSize).ToArray());
        }

        offsets[3] = arrays[3].Length - 64;
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.Update(arrays, offsets, 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.Update(arrays.AsSpan(1), offsets.AsSpan(1), 64));
    }

    private static void AssertEachLane<THash, TState>(int hashSize, Func<byte[], byte[]> reference, int seed)
        where THash : struct, ILaneHash<TState>
        where TState : struct
    {
        byte[] data = TempFolder.RandomBytes(16 * Stride, seed);
        var hasher = new SixteenLaneHasher<THash, TState>();
        foreach (int[] updates in Updates)
        {
            hasher.Reset();
            int offset = 0;
            foreach (int length in updates)
            {
                hasher.Update(data.AsSpan(offset), Stride, length);
                offset += length;
            }

            var digests = new byte[16 * hashSize];
            hasher.Finish(digests);
            for (int lane = 0; lane < 16; lane++)
            {
                byte[] expected = reference(data.AsSpan(lane * Stride, offset).ToArray());
                Assert.Equal(expected, digests.AsSpan(lane * hashSize, hashSize).ToArray());
            }
        }
    }
}
