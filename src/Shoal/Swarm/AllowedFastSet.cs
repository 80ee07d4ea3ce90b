using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Swarm;

/// <summary>BEP 6: the canonical allowed-fast set, pieces a peer may request from us while choked.</summary>
public static class AllowedFastSet
{
    /// <summary>The set for an IPv4 peer; BEP 6 defines none for IPv6, so those get an empty one.</summary>
    public static IReadOnlyList<int> Compute(IPAddress address, InfoHash infoHash, int pieceCount, int count)
    {
        address = IPv4Mapping.Unmap(address);
        count = Math.Min(count, pieceCount);
        if (address.AddressFamily != AddressFamily.InterNetwork || count <= 0)
        {
            return [];
        }

        // x = (ip & 0xFFFFFF00) followed by the info-hash; then x = SHA1(x) until k distinct pieces are found.
        Span<byte> x = stackalloc byte[4 + InfoHash.V1Length];
        address.TryWriteBytes(x, out _);
        x[3] = 0;
        infoHash.Truncated.Span.CopyTo(x[4..]);
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(x, digest);
        var pieces = new List<int>(count);
        while (true)
        {
            for (int i = 0; i < 5; i++)
            {
                uint y = BinaryPrimitives.ReadUInt32BigEndian(digest[(i * 4)..]);
                int index = (int)(y % (uint)pieceCount);
                if (!pieces.Contains(index))
                {
                    pieces.Add(index);
                    if (pieces.Count == count)
                    {
                        return pieces;
                    }
                }
            }

            SHA1.HashData(digest, digest);
        }
    }
}
