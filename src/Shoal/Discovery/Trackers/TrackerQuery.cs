using System.Text;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// Percent-encoding of tracker query strings. Values are bytes, not text: BEP 3 sends the binary
/// <c>info_hash</c> and <c>peer_id</c> escaped byte by byte, so decoding never goes through UTF-8.
/// </summary>
internal static class TrackerQuery
{
    /// <summary>Longest raw announce query string a tracker accepts.</summary>
    public const int MaxLength = 4096;

    /// <summary>Most parameters in one query string.</summary>
    public const int MaxParameters = 128;

    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>Appends the bytes escaped: RFC 3986 unreserved characters as they are, every other byte as <c>%XX</c>.</summary>
    public static void AppendEscaped(StringBuilder builder, ReadOnlySpan<byte> value)
    {
        foreach (byte b in value)
        {
            if (IsUnreserved(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }
    }

    /// <summary>Appends <c>name=value&amp;</c> with the value escaped.</summary>
    public static void AppendParameter(StringBuilder builder, string name, ReadOnlySpan<byte> value)
    {
        builder.Append(name).Append('=');
        AppendEscaped(builder, value);
        builder.Append('&');
    }

    public static void AppendParameter(StringBuilder builder, string name, string value) =>
        AppendParameter(builder, name, Encoding.UTF8.GetBytes(value));

    public static void AppendParameter(StringBuilder builder, string name, long value) =>
        builder.Append(name).Append('=').Append(value).Append('&');

    /// <summary>
    /// The URL without its fragment, ending with <c>?</c> or <c>&amp;</c> so that parameters can follow.
    /// The URL's own query (a passkey, say) is kept.
    /// </summary>
    public static StringBuilder Start(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException("a tracker URL must be absolute", nameof(url));
        }

        string baseUrl = url.GetLeftPart(UriPartial.Query);
        var builder = new StringBuilder(baseUrl, baseUrl.Length + 256);
        if (!baseUrl.Contains('?', StringComparison.Ordinal))
        {
            builder.Append('?');
        }
        else if (!baseUrl.EndsWith('?') && !baseUrl.EndsWith('&'))
        {
            builder.Append('&');
        }

        return builder;
    }

    /// <summary>The URL, without the separator the last parameter left.</summary>
    public static string Finish(StringBuilder builder)
    {
        if (builder.Length > 0 && builder[^1] is '&' or '?')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    /// <summary>
    /// Splits a raw query string (with or without its leading <c>?</c>) into names and percent-decoded
    /// byte values, in order. <c>+</c> decodes to a space (form encoding).
    /// </summary>
    public static List<KeyValuePair<string, byte[]>> Parse(string rawQuery, int maxLength = MaxLength, int maxParameters = MaxParameters)
    {
        ArgumentNullException.ThrowIfNull(rawQuery);
        if (rawQuery.Length > maxLength)
        {
            throw new TrackerProtocolException($"query string longer than {maxLength} characters");
        }

        ReadOnlySpan<char> rest = rawQuery.AsSpan();
        if (rest.StartsWith('?'))
        {
            rest = rest[1..];
        }

        var parameters = new List<KeyValuePair<string, byte[]>>();
        byte[] buffer = new byte[rawQuery.Length];
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf('&');
            ReadOnlySpan<char> pair = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            if (parameters.Count == maxParameters)
            {
                throw new TrackerProtocolException($"more than {maxParameters} query parameters");
            }

            int equals = pair.IndexOf('=');
            ReadOnlySpan<char> rawName = equals < 0 ? pair : pair[..equals];
            ReadOnlySpan<char> rawValue = equals < 0 ? [] : pair[(equals + 1)..];
            string name = Encoding.Latin1.GetString(buffer, 0, Decode(rawName, buffer));
            byte[] value = buffer.AsSpan(0, Decode(rawValue, buffer)).ToArray();
            parameters.Add(new(name, value));
        }

        return parameters;
    }

    private static int Decode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        int length = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
                {
                    throw new TrackerProtocolException("malformed percent-escape in query string");
                }

                destination[length++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 2;
            }
            else if (c is < (char)0x21 or > (char)0x7E)
            {
                throw new TrackerProtocolException("query string holds a character that must be escaped");
            }
            else
            {
                destination[length++] = c == '+' ? (byte)' ' : (byte)c;
            }
        }

        return length;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';
}
