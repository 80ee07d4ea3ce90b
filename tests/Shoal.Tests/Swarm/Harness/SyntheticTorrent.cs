using System.Security.Cryptography;
using Shoal.Metainfo;

namespace Shoal.Tests.Swarm.Harness;

/// <summary>A v1 single-file torrent built in memory over given content: no files, no bencoding, correct SHA-1 piece hashes.</summary>
internal static class SyntheticTorrent
{
    /// <summary>The info-hash every synthetic torrent has unless told otherwise.</summary>
    public static readonly InfoHash DefaultInfoHash = new(Enumerable.Repeat((byte)0xaa, InfoHash.V1Length).ToArray());

    public static Torrent Create(byte[] content, int pieceLength, InfoHash? infoHash = null)
    {
        int pieceCount = (content.Length + pieceLength - 1) / pieceLength;
        byte[] hashes = new byte[pieceCount * SHA1.HashSizeInBytes];
        for (int i = 0; i < pieceCount; i++)
        {
            int start = i * pieceLength;
            SHA1.HashData(content.AsSpan(start, Math.Min(pieceLength, content.Length - start)), hashes.AsSpan(i * SHA1.HashSizeInBytes));
        }

        return new Torrent
        {
            Name = "synthetic.bin",
            PieceLength = pieceLength,
            PieceCount = pieceCount,
            Version = TorrentVersion.V1,
            InfoHashes = new InfoHashes(infoHash ?? DefaultInfoHash, null),
            InfoBytes = ReadOnlyMemory<byte>.Empty,
            Files = [new FileEntry { Path = ["synthetic.bin"], Length = content.Length, Offset = 0 }],
            IsMultiFile = false,
            PieceHashesV1 = hashes,
        };
    }
}
