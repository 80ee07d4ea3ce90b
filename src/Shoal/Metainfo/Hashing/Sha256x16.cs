using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Shoal.Metainfo.Hashing;

/// <summary>SHA-256 (FIPS 180-4 §6.2) of sixteen equal-length messages at once; see <see cref="SixteenLanes"/>.</summary>
internal readonly struct Sha256x16 : ILaneHash<Sha256x16.State>
{
    public const int HashSize = 32;

    // §4.2.2
    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    public static void Initialize(ref State state)
    {
        // §5.3.3
        state[0] = Vector512.Create(0x6a09e667u);
        state[1] = Vector512.Create(0xbb67ae85u);
        state[2] = Vector512.Create(0x3c6ef372u);
        state[3] = Vector512.Create(0xa54ff53au);
        state[4] = Vector512.Create(0x510e527fu);
        state[5] = Vector512.Create(0x9b05688cu);
        state[6] = Vector512.Create(0x1f83d9abu);
        state[7] = Vector512.Create(0x5be0cd19u);
    }

    public static ReadOnlySpan<Vector512<uint>> Words(ref State state) => state;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Compress(ref State state, ref SixteenLanes.Words w)
    {
        Vector512<uint> a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++)
        {
            Vector512<uint> word = w[t & 15];
            if (t >= 16)
            {
                // §6.2.2 step 1: σ0 and σ1 of earlier words; 0x96 is a three-way XOR.
                Vector512<uint> w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
                Vector512<uint> s0 = Avx512F.TernaryLogic(Avx512F.RotateRight(w15, 7), Avx512F.RotateRight(w15, 18), Avx512F.ShiftRightLogical(w15, 3), 0x96);
                Vector512<uint> s1 = Avx512F.TernaryLogic(Avx512F.RotateRight(w2, 17), Avx512F.RotateRight(w2, 19), Avx512F.ShiftRightLogical(w2, 10), 0x96);
                word += s0 + w[(t - 7) & 15] + s1;
                w[t & 15] = word;
            }

            // Σ1, Ch (0xCA), Σ0, Maj (0xE8) of §4.1.2.
            Vector512<uint> sum1 = Avx512F.TernaryLogic(Avx512F.RotateRight(e, 6), Avx512F.RotateRight(e, 11), Avx512F.RotateRight(e, 25), 0x96);
            Vector512<uint> t1 = h + sum1 + Avx512F.TernaryLogic(e, f, g, 0xCA) + Vector512.Create(RoundConstants[t]) + word;
            Vector512<uint> sum0 = Avx512F.TernaryLogic(Avx512F.RotateRight(a, 2), Avx512F.RotateRight(a, 13), Avx512F.RotateRight(a, 22), 0x96);
            Vector512<uint> t2 = sum0 + Avx512F.TernaryLogic(a, b, c, 0xE8);
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    [InlineArray(8)]
    public struct State
    {
        private Vector512<uint> _word;
    }
}
