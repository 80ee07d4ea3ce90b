using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Shoal.Primitives;

/// <summary>
/// A set of piece indexes, kept in the BEP 3 bitfield layout that both the bitfield message and
/// resume data carry: piece 0 is the high bit of the first byte, and the spare bits at the end are zero.
/// </summary>
public sealed class PieceSet
{
    private readonly byte[] _bytes;

    public PieceSet(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _bytes = new byte[ByteLengthFor(length)];
    }

    private PieceSet(PieceSet other)
    {
        Length = other.Length;
        Count = other.Count;
        _bytes = (byte[])other._bytes.Clone();
    }

    public int Length { get; }

    /// <summary>How many pieces are in the set.</summary>
    public int Count { get; private set; }

    public bool IsComplete => Count == Length;

    public bool IsEmpty => Count == 0;

    public bool this[int index]
    {
        get
        {
            CheckIndex(index);
            return (_bytes[index >> 3] & Mask(index)) != 0;
        }
    }

    public static int ByteLengthFor(int length) => (length + 7) / 8;

    /// <summary>Reads the bitfield layout of a set of <paramref name="length"/> pieces; false when the byte count is wrong or a spare bit is set.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, int length, [NotNullWhen(true)] out PieceSet? pieces)
    {
        pieces = null;
        var read = new PieceSet(length);
        if (bytes.Length != read._bytes.Length)
        {
            return false;
        }

        bytes.CopyTo(read._bytes);
        int spare = read._bytes.Length * 8 - length;
        if (spare > 0 && (read._bytes[^1] & ((1 << spare) - 1)) != 0)
        {
            return false;
        }

        read.Count = CountBits(read._bytes);
        pieces = read;
        return true;
    }

    /// <summary>Adds or removes a piece; returns whether the set changed.</summary>
    public bool Set(int index, bool value = true)
    {
        CheckIndex(index);
        ref byte cell = ref _bytes[index >> 3];
        byte mask = Mask(index);
        bool had = (cell & mask) != 0;
        if (had == value)
        {
            return false;
        }

        cell = value ? (byte)(cell | mask) : (byte)(cell & ~mask);
        Count += value ? 1 : -1;
        return true;
    }

    public void SetAll()
    {
        if (Length == 0)
        {
            return;
        }

        Array.Fill(_bytes, (byte)0xFF);
        int spare = _bytes.Length * 8 - Length;
        _bytes[^1] = (byte)(0xFF << spare);
        Count = Length;
    }

    /// <summary>The bitfield layout, for a bitfield message or resume data.</summary>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    public PieceSet Clone() => new(this);

    /// <summary>The lowest index at or after <paramref name="start"/> that is not in the set, or -1.</summary>
    public int NextClear(int start)
    {
        for (int i = start; i < Length; i++)
        {
            if (!this[i])
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The lowest index at or after <paramref name="start"/> that is in the set, or -1.</summary>
    public int NextSet(int start)
    {
        for (int i = start; i < Length; i++)
        {
            if (this[i])
            {
                return i;
            }
        }

        return -1;
    }

    private static byte Mask(int index) => (byte)(0x80 >> (index & 7));

    private static int CountBits(ReadOnlySpan<byte> bytes)
    {
        int count = 0;
        foreach (byte b in bytes)
        {
            count += BitOperations.PopCount(b);
        }

        return count;
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"piece index outside 0..{Length - 1}");
        }
    }
}
