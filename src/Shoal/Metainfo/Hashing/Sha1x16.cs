using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Shoal.Metainfo.Hashing;

/// <summary>SHA-1 (FIPS 180-4 §6.1) of sixteen equal-length messages at once; see <see cref="SixteenLanes"/>.</summary>
internal sealed class Sha1x16
{
    public const int HashSize = 20;

    private State _state;
    private long _length;

    public Sha1x16() => Reset();

    public void Reset()
    {
        _state[0] = Vector512.Create(0x67452301u);
        _state[1] = Vector512.Create(0xEFCDAB89u);
        _state[2] = Vector512.Create(0x98BADCFEu);
        _state[3] = Vector512.Create(0x10325476u);
        _state[4] = Vector512.Create(0xC3D2E1F0u);
        _length = 0;
    }

    /// <summary>Appends the <paramref name="length"/> bytes at <c>i * stride</c> of <paramref name="data"/> to message i.</summary>
    public void Update(ReadOnlySpan<byte> data, int stride, int length)
    {
        SixteenLanes.Update<Rounds, State>(ref _state, data, stride, length);
        _length += length;
    }

    /// <summary>Writes the sixteen digests, lane i's at <c>i * 20</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Finish(Span<byte> digests)
    {
        SixteenLanes.Words w = default;
        SixteenLanes.LoadPadding(_length, ref w);
        Rounds.Compress(ref _state, ref w);
        SixteenLanes.StoreDigests(_state, digests);
    }

    /// <summary>A struct, so that the generic block loop is compiled for it with the rounds inlined.</summary>
    private readonly struct Rounds : SixteenLanes.ICompression<State>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Compress(ref State state, ref SixteenLanes.Words w)
        {
            Vector512<uint> a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
            for (int t = 0; t < 80; t++)
            {
                Vector512<uint> word = w[t & 15];
                if (t >= 16)
                {
                    word = Avx512F.RotateLeft(Avx512F.TernaryLogic(w[(t - 3) & 15], w[(t - 8) & 15], w[(t - 14) & 15], 0x96) ^ word, 1);
                    w[t & 15] = word;
                }

                // f and K by round (§4.1.1, §4.2.1); ternary-logic tables: 0xCA is Ch, 0x96 Parity, 0xE8 Maj.
                (Vector512<uint> f, uint k) = t switch
                {
                    < 20 => (Avx512F.TernaryLogic(b, c, d, 0xCA), 0x5A827999u),
                    < 40 => (Avx512F.TernaryLogic(b, c, d, 0x96), 0x6ED9EBA1u),
                    < 60 => (Avx512F.TernaryLogic(b, c, d, 0xE8), 0x8F1BBCDCu),
                    _ => (Avx512F.TernaryLogic(b, c, d, 0x96), 0xCA62C1D6u),
                };
                Vector512<uint> temp = Avx512F.RotateLeft(a, 5) + f + e + Vector512.Create(k) + word;
                e = d;
                d = c;
                c = Avx512F.RotateLeft(b, 30);
                b = a;
                a = temp;
            }

            state[0] += a;
            state[1] += b;
            state[2] += c;
            state[3] += d;
            state[4] += e;
        }
    }

    [InlineArray(5)]
    private struct State
    {
        private Vector512<uint> _word;
    }
}
