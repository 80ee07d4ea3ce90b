using System.Security.Cryptography;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>
/// One peer's copy of a torrent's info dictionary, gathered 16 KiB piece by piece (BEP 9) in any order,
/// and checked as a whole against the magnet's info-hashes.
/// </summary>
public sealed class MetadataAssembler
{
    /// <summary>A sanity cap: real info dictionaries are far smaller, and the buffer is allocated at once.</summary>
    public const long MaxSize = 16 * 1024 * 1024;

    private readonly byte[] _bytes;
    private readonly bool[] _received;
    private int _receivedCount;
    private int _nextRequest;

    /// <summary>Starts a copy of the <c>metadata_size</c> a peer advertised; an absurd size is a <see cref="PeerProtocolException"/>.</summary>
    public MetadataAssembler(long size)
    {
        if (size is <= 0 or > MaxSize)
        {
            throw new PeerProtocolException($"metadata_size {size} is outside 1..{MaxSize}");
        }

        _bytes = new byte[size];
        _received = new bool[(size + MetadataMessage.PieceSize - 1) / MetadataMessage.PieceSize];
    }

    public long Size => _bytes.Length;

    public int PieceCount => _received.Length;

    public bool IsComplete => _receivedCount == PieceCount;

    /// <summary>The assembled bytes; whole only once <see cref="IsComplete"/>.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The next piece never asked for, or null when every piece has been.</summary>
    public int? TakeNextRequest() => _nextRequest < PieceCount ? _nextRequest++ : null;

    /// <summary>Stores one data message. A piece of the wrong size, index or total is a <see cref="PeerProtocolException"/>.</summary>
    public void Add(in MetadataMessage message)
    {
        if (message.TotalSize != Size)
        {
            throw new PeerProtocolException($"ut_metadata total_size {message.TotalSize} differs from the advertised {Size}");
        }

        if ((uint)message.Piece >= (uint)PieceCount)
        {
            throw new PeerProtocolException($"ut_metadata piece {message.Piece} is outside the {PieceCount} pieces");
        }

        int offset = message.Piece * MetadataMessage.PieceSize;
        int length = (int)Math.Min(MetadataMessage.PieceSize, Size - offset);
        if (message.Data.Length != length)
        {
            throw new PeerProtocolException($"ut_metadata piece {message.Piece} has {message.Data.Length} bytes, not {length}");
        }

        message.Data.Span.CopyTo(_bytes.AsSpan(offset));
        if (!_received[message.Piece])
        {
            _received[message.Piece] = true;
            _receivedCount++;
        }
    }

    /// <summary>Whether the assembled bytes hash to every info-hash the magnet names: SHA-1 for btih, SHA-256 for btmh.</summary>
    public bool Matches(InfoHashes expected)
    {
        if (!IsComplete)
        {
            return false;
        }

        bool v1 = expected.V1 is not { } sha1 || SHA1.HashData(_bytes).AsSpan().SequenceEqual(sha1.Span);
        bool v2 = expected.V2 is not { } sha256 || SHA256.HashData(_bytes).AsSpan().SequenceEqual(sha256.Span);
        return v1 && v2;
    }
}
