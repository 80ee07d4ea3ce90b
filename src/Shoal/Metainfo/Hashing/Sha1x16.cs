using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Shoal.Metainfo.Hashing;

/// <summary>SHA-1 (FIPS 180-4 §6.1) of sixteen equal-length messages at once; see <see cref="SixteenLanes"/>.</summary>
internal readonly struct Sha1x16 : ILaneHash<Sha1x16.State>
{
    public const int HashSize = 20;

    public static void Initialize(ref State state)
    {
        state[0] = Vector512.Create(0x67452301u);
        state[1] = Vector512.Create(0xEFCDAB89u);
        state[2] = Vector512.Create(0x98BADCFEu);
        state[3] = Vector512.Create(0x10325476u);
        state[4] = Vector512.Create(0xC3D2E1F0u);
    }

    public static ReadOnlySpan<Vector512<uint>> Words(ref State state) => state;

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

    [InlineArray(5)]
    public struct State
    {
        private Vector512<uint> _word;
    }
}
