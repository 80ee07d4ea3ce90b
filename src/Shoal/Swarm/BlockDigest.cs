using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Shoal.Swarm;

/// <summary>The SHA-1 of one block as sent by one peer, kept in place of the block itself.</summary>
internal readonly record struct BlockDigest(ulong First, ulong Second, uint Third)
{
    public static BlockDigest Of(ReadOnlySpan<byte> block)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(block, hash);
        return new BlockDigest(
            BinaryPrimitives.ReadUInt64LittleEndian(hash),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(hash[16..]));
    }
}
