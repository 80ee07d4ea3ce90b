namespace Shoal.Metainfo;

/// <summary>RFC 4648 base32, as used by old magnet links for v1 info-hashes (BEP 9).</summary>
internal static class Base32
{
    /// <summary>
    /// Decodes unpadded base32, in either case, that fills <paramref name="bytes"/> exactly;
    /// false when the length or a character is wrong.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> bytes)
    {
        if (text.Length * 5 != bytes.Length * 8)
        {
            return false;
        }

        int buffer = 0;
        int bits = 0;
        int written = 0;
        foreach (char c in text)
        {
            int value = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a',
                >= '2' and <= '7' => c - '2' + 26,
                _ => -1,
            };
            if (value < 0)
            {
                return false;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[written++] = (byte)(buffer >> bits);
                buffer &= (1 << bits) - 1;
            }
        }

        return true;
    }
}
