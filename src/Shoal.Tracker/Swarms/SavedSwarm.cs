using System.Buffers.Binary;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// One swarm's peers as saved across a restart: per peer its address and port, whether it is a seeder,
/// and the Unix second it expires, <see cref="EntryLength"/> bytes each.
/// </summary>
public sealed record SavedSwarm(InfoHashKey InfoHash, byte[] Peers)
{
    public const int EntryLength = PeerAddress.SavedLength + 1 + sizeof(long);

    public int Count => Peers.Length / EntryLength;

    public static void WriteEntry(Span<byte> destination, PeerAddress peer, bool isSeeder, long expiresAt)
    {
        peer.WriteSaved(destination);
        destination[PeerAddress.SavedLength] = isSeeder ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64BigEndian(destination[(PeerAddress.SavedLength + 1)..], expiresAt);
    }

    public (PeerAddress Peer, bool IsSeeder, long ExpiresAt) ReadEntry(int index)
    {
        ReadOnlySpan<byte> entry = Peers.AsSpan(index * EntryLength, EntryLength);
        return (PeerAddress.ReadSaved(entry), entry[PeerAddress.SavedLength] != 0, BinaryPrimitives.ReadInt64BigEndian(entry[(PeerAddress.SavedLength + 1)..]));
    }
}
