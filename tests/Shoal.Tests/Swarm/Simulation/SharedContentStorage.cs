using Shoal.Metainfo;
using Shoal.Storage;

namespace Shoal.Tests.Swarm.Simulation;

/// <summary>
/// A simulated leecher's storage that holds no bytes of its own, so that a thousand leechers fit in one process: it
/// remembers which pieces were written and reads them from the one true copy. A write must match that copy byte for
/// byte (the checker compared them already), and reading a piece not written fails the test: a node can only send what
/// it really received.
/// </summary>
internal sealed class SharedContentStorage(Torrent torrent, byte[] addressSpace) : IPieceStorage
{
    private readonly bool[] _written = new bool[torrent.PieceCount];

    /// <summary>Whether the blocks, one after another from <paramref name="offset"/>, are the true bytes there.</summary>
    public static bool Matches(byte[] addressSpace, long offset, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        long position = offset;
        foreach (ReadOnlyMemory<byte> block in blocks)
        {
            int length = (int)Math.Min(block.Length, addressSpace.Length - position);
            if (!block.Span[..length].SequenceEqual(addressSpace.AsSpan((int)position, length)))
            {
                return false;
            }

            position += block.Length;
        }

        return true;
    }

    public bool IsWritten(int piece) => _written[piece];

    public void Read(long offset, Span<byte> destination)
    {
        int piece = (int)(offset / torrent.PieceLength);
        int last = (int)((offset + destination.Length - 1) / torrent.PieceLength);
        for (int i = piece; i <= last; i++)
        {
            if (!_written[i])
            {
                throw new InvalidOperationException($"piece {i} was read before it was written");
            }
        }

        addressSpace.AsSpan((int)offset, destination.Length).CopyTo(destination);
    }

    public void Write(long offset, IReadOnlyList<ReadOnlyMemory<byte>> buffers) =>
        _written[(int)(offset / torrent.PieceLength)] = true;

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
