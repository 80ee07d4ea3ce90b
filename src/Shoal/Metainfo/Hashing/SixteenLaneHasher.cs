using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Shoal.Metainfo.Hashing;

/// <summary>One hash function's part of <see cref="SixteenLaneHasher{THash, TState}"/>: its initial state and rounds.</summary>
internal interface ILaneHash<TState>
    where TState : struct
{
    static abstract void Initialize(ref TState state);

    static abstract void Compress(ref TState state, ref SixteenLanes.Words w);

    /// <summary>The state as its words, which are the digest once the padding is in (FIPS 180-4 §6.1.2, §6.2.2).</summary>
    static abstract ReadOnlySpan<Vector512<uint>> Words(ref TState state);
}

/// <summary>
/// A SHA-family hash of sixteen equal-length messages at once; see <see cref="SixteenLanes"/>. <typeparamref name="THash"/>
/// is a struct so that the block loop is compiled for it with its rounds inlined.
/// </summary>
internal sealed class SixteenLaneHasher<THash, TState>
    where THash : struct, ILaneHash<TState>
    where TState : struct
{
    private TState _state;
    private long _length;

    public SixteenLaneHasher() => Reset();

    public void Reset()
    {
        THash.Initialize(ref _state);
        _length = 0;
    }

    /// <summary>Appends the <paramref name="length"/> bytes at <c>i * stride</c> of <paramref name="data"/> to message i.</summary>
    public void Update(ReadOnlySpan<byte> data, int stride, int length)
    {
        SixteenLanes.Update<THash, TState>(ref _state, data, stride, length);
        _length += length;
    }

    /// <summary>Appends the <paramref name="length"/> bytes at <c>offsets[i]</c> of <c>arrays[i]</c> to message i.</summary>
    public void Update(ReadOnlySpan<byte[]> arrays, ReadOnlySpan<int> offsets, int length)
    {
        SixteenLanes.Update<THash, TState>(ref _state, arrays, offsets, length);
        _length += length;
    }

    /// <summary>Writes the sixteen digests, lane i's at <c>i</c> times the digest size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Finish(Span<byte> digests)
    {
        SixteenLanes.Words w = default;
        SixteenLanes.LoadPadding(_length, ref w);
        THash.Compress(ref _state, ref w);
        SixteenLanes.StoreDigests(THash.Words(ref _state), digests);
    }
}
