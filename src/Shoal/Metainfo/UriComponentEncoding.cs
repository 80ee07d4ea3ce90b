using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Shoal.Metainfo;

/// <summary>Percent-encoding of URI query values over UTF-8 (RFC 3986).</summary>
internal static class UriComponentEncoding
{
    /// <summary>Keeps the unreserved characters (A-Z a-z 0-9 - . _ ~) and writes every other UTF-8 byte as %XX.</summary>
    public static string Encode(string text) => Uri.EscapeDataString(text);

    /// <summary>
    /// Whether <see cref="Encode"/> keeps all of <paramref name="text"/>: a lone surrogate has no UTF-8 form,
    /// so it would come back as U+FFFD.
    /// </summary>
    public static bool CanEncode(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Decodes %XX escapes (and '+' as a space when <paramref name="plusIsSpace"/>); characters that were
    /// not escaped stand for themselves. False when an escape is malformed or the bytes are not UTF-8.
    /// </summary>
    public static bool TryDecode(string text, bool plusIsSpace, [NotNullWhen(true)] out string? decoded)
    {
        decoded = null;
        byte[] bytes = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        int length = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == '%')
            {
                if (i + 2 >= text.Length || Convert.FromHexString(text.AsSpan(i + 1, 2), bytes.AsSpan(length, 1), out _, out _) != OperationStatus.Done)
                {
                    return false;
                }

                length++;
                i += 3;
            }
            else if (plusIsSpace && text[i] == '+')
            {
                bytes[length++] = (byte)' ';
                i++;
            }
            else
            {
                // A lone surrogate in the raw text becomes U+FFFD.
                _ = Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int consumed);
                length += rune.EncodeToUtf8(bytes.AsSpan(length));
                i += consumed;
            }
        }

        if (!Utf8.IsValid(bytes.AsSpan(0, length)))
        {
            return false;
        }

        decoded = Encoding.UTF8.GetString(bytes, 0, length);
        return true;
    }
}
