using System.Net;
using Shoal.Buffers;
using Shoal.Metainfo;

namespace Shoal.Swarm;

/// <summary>A piece being downloaded: each block's requests, data (a pooled 16 KiB buffer) and sender.</summary>
internal sealed class PartialPiece
{
    private readonly byte[]?[] _data;
    private readonly byte[] _requests;
    private int _searchFrom;

    public PartialPiece(int index, int size)
    {
        Index = index;
        Size = size;
        BlockCount = PieceGeometry.BlockCount(size);
        _data = new byte[BlockCount][];
        _requests = new byte[BlockCount];
        Senders = new PeerKey?[BlockCount];
        Unrequested = BlockCount;
    }

    public int Index { get; }

    public int Size { get; }

    public int BlockCount { get; }

    public int Received { get; private set; }

    public long ReceivedBytes { get; private set; }

    /// <summary>Blocks neither received nor requested from anyone.</summary>
    public int Unrequested { get; private set; }

    public bool IsComplete => Received == BlockCount;

    /// <summary>Complete, and with the checker: no more blocks are accepted.</summary>
    public bool IsChecking { get; set; }

    /// <summary>With the checker and written to storage, not yet verified: a kill no longer loses it.</summary>
    public bool IsWritten { get; set; }

    public PeerKey?[] Senders { get; }

    public BlockRef Block(int blockIndex)
    {
        int begin = blockIndex * PieceGeometry.BlockSize;
        return new BlockRef(Index, begin, Math.Min(PieceGeometry.BlockSize, Size - begin));
    }

    public bool IsReceived(int blockIndex) => _data[blockIndex] is not null;

    public int RequestCount(int blockIndex) => _requests[blockIndex];

    /// <summary>The next block nobody has been asked for, or -1.</summary>
    public int NextUnrequested()
    {
        for (int i = _searchFrom; i < BlockCount; i++)
        {
            if (_requests[i] == 0 && _data[i] is null)
            {
                _searchFrom = i;
                return i;
            }
        }

        return -1;
    }

    public void AddRequest(int blockIndex)
    {
        if (_requests[blockIndex]++ == 0 && _data[blockIndex] is null)
        {
            Unrequested--;
        }
    }

    public void RemoveRequest(int blockIndex)
    {
        if (_requests[blockIndex] == 0)
        {
            return;
        }

        if (--_requests[blockIndex] == 0 && _data[blockIndex] is null)
        {
            Unrequested++;
            _searchFrom = Math.Min(_searchFrom, blockIndex);
        }
    }

    /// <summary>Keeps a copy of the block's data; false when it is already here.</summary>
    public bool Store(int blockIndex, ReadOnlySpan<byte> data, PeerKey sender, BufferPool pool)
    {
        if (_data[blockIndex] is not null)
        {
            return false;
        }

        byte[] buffer = pool.Rent(PieceGeometry.BlockSize);
        data.CopyTo(buffer);
        _data[blockIndex] = buffer;
        Senders[blockIndex] = sender;
        Received++;
        ReceivedBytes += data.Length;
        if (_requests[blockIndex] == 0)
        {
            Unrequested--;
        }

        return true;
    }

    public ReadOnlyMemory<byte> Data(int blockIndex) => _data[blockIndex].AsMemory(0, Block(blockIndex).Length);

    public IReadOnlyList<ReadOnlyMemory<byte>> AllData()
    {
        var blocks = new ReadOnlyMemory<byte>[BlockCount];
        for (int i = 0; i < BlockCount; i++)
        {
            blocks[i] = Data(i);
        }

        return blocks;
    }

    public void ReturnBuffers(BufferPool pool)
    {
        for (int i = 0; i < _data.Length; i++)
        {
            if (_data[i] is { } buffer)
            {
                pool.Return(buffer);
                _data[i] = null;
            }
        }
    }
}
