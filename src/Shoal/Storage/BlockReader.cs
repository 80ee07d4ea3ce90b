using Shoal.Metainfo;

namespace Shoal.Storage;

/// <summary>Reads a block to send; the part of a v2 block past the torrent's last byte (alignment padding) is zeros.</summary>
public static class BlockReader
{
    public static void ReadBlock(this IPieceStorage storage, Torrent torrent, int piece, int begin, Span<byte> destination)
    {
        long offset = torrent.PieceOffset(piece) + begin;
        int stored = (int)Math.Clamp(torrent.AddressSpaceLength() - offset, 0, destination.Length);
        storage.Read(offset, destination[..stored]);
        destination[stored..].Clear();
    }
}
