using System.Globalization;
using System.Text;
using Shoal.Metainfo;

namespace Shoal.Discovery.Lsd;

/// <summary>
/// Reads and writes BEP 14 announces: <c>BT-SEARCH * HTTP/1.1</c> and HTTP-style headers. Reading is
/// lenient in form (bare LF line ends, any header case, surrounding spaces, unknown headers, a missing
/// final blank line) but strict in bounds, and fails only with <see cref="LsdMessageException"/>.
/// </summary>
public static class LsdMessageCodec
{
    /// <summary>BEP 14: a multi-hash announce should stay within 1400 bytes to avoid fragmentation.</summary>
    public const int MaxMessageSize = 1400;

    /// <summary>The most info-hashes a received announce may carry.</summary>
    public const int MaxInfoHashes = 32;

    /// <summary>The longest cookie written or accepted.</summary>
    public const int MaxCookieLength = 64;

    private const string RequestLine = "BT-SEARCH * HTTP/1.1";
    private const string RequestLinePrefix = "BT-SEARCH * HTTP/1.";
    private const string InfohashHeader = "Infohash: ";
    private const int InfoHashHexLength = InfoHash.V1Length * 2;

    /// <summary>The longest host an announce names: a full IPv6 group with port.</summary>
    private const int MaxHostLength = 47;

    /// <summary>
    /// How many info-hashes one written announce holds within <see cref="MaxMessageSize"/>, whatever
    /// its host, port and cookie.
    /// </summary>
    public static readonly int BatchCapacity = Math.Min(
        MaxInfoHashes,
        (MaxMessageSize - LengthWithoutInfoHashes(new string('h', MaxHostLength), ushort.MaxValue, new string('c', MaxCookieLength)))
            / (InfohashHeader.Length + InfoHashHexLength + 2));

    /// <summary>Writes <paramref name="message"/>; its info-hashes must be 20 bytes and fit in <see cref="MaxMessageSize"/>.</summary>
    public static byte[] Encode(LsdMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Port is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentException("an announced port is 1 to 65535", nameof(message));
        }

        if (message.InfoHashes.Count == 0 || message.InfoHashes.Any(h => h.Length != InfoHash.V1Length))
        {
            throw new ArgumentException("an announce carries one or more 20-byte info-hashes", nameof(message));
        }

        if (message.Cookie is { } cookie && (cookie.Length > MaxCookieLength || !IsHeaderValue(cookie)))
        {
            throw new ArgumentException($"a cookie is at most {MaxCookieLength} printable ASCII characters", nameof(message));
        }

        if (message.Host is { } host && !IsHeaderValue(host))
        {
            throw new ArgumentException("a host is printable ASCII", nameof(message));
        }

        var text = new StringBuilder(RequestLine).Append("\r\n");
        if (message.Host is not null)
        {
            text.Append("Host: ").Append(message.Host).Append("\r\n");
        }

        text.Append("Port: ").Append(message.Port.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        foreach (InfoHash infoHash in message.InfoHashes)
        {
            text.Append(InfohashHeader).Append(infoHash.ToHex()).Append("\r\n");
        }

        if (message.Cookie is not null)
        {
            text.Append("cookie: ").Append(message.Cookie).Append("\r\n");
        }

        byte[] bytes = Encoding.ASCII.GetBytes(text.Append("\r\n\r\n").ToString());
        if (bytes.Length > MaxMessageSize)
        {
            throw new ArgumentException($"the announce is {bytes.Length} bytes, more than {MaxMessageSize}", nameof(message));
        }

        return bytes;
    }

    /// <summary>Reads one announce datagram.</summary>
    public static LsdMessage Decode(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > MaxMessageSize)
        {
            throw new LsdMessageException($"an announce is at most {MaxMessageSize} bytes, not {datagram.Length}");
        }

        string[] lines = Encoding.Latin1.GetString(datagram).Split('\n');
        if (!lines[0].TrimEnd('\r').StartsWith(RequestLinePrefix, StringComparison.Ordinal))
        {
            throw new LsdMessageException("not a BT-SEARCH request");
        }

        string? host = null;
        string? cookie = null;
        int? port = null;
        var infoHashes = new List<InfoHash>();
        foreach (string raw in lines.Skip(1))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new LsdMessageException("a header line has no name");
            }

            string value = line[(colon + 1)..].Trim();
            switch (line[..colon].Trim().ToUpperInvariant())
            {
                case "HOST":
                    host ??= value;
                    break;
                case "PORT":
                    port = ParsePort(value, port);
                    break;
                case "INFOHASH":
                    AddInfoHash(infoHashes, value);
                    break;
                case "COOKIE":
                    cookie ??= value.Length <= MaxCookieLength ? value : throw new LsdMessageException("the cookie is too long");
                    break;
            }
        }

        if (port is null || infoHashes.Count == 0)
        {
            throw new LsdMessageException("an announce needs a Port and an Infohash header");
        }

        return new LsdMessage(host, port.Value, infoHashes, cookie);
    }

    private static int LengthWithoutInfoHashes(string host, int port, string cookie) =>
        Encode(new LsdMessage(host, port, [new InfoHash(new byte[InfoHash.V1Length])], cookie)).Length
            - (InfohashHeader.Length + InfoHashHexLength + 2);

    private static bool IsHeaderValue(string value) => value.All(c => c is >= ' ' and <= '~');

    private static int ParsePort(string value, int? earlier)
    {
        if (value.Length > 5 || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > ushort.MaxValue)
        {
            throw new LsdMessageException("the Port header is not a port number");
        }

        return earlier is null || earlier == port ? port : throw new LsdMessageException("two different Port headers");
    }

    private static void AddInfoHash(List<InfoHash> infoHashes, string hex)
    {
        Span<byte> bytes = stackalloc byte[InfoHash.V1Length];
        if (hex.Length != InfoHashHexLength || Convert.FromHexString(hex, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            throw new LsdMessageException("an Infohash header is not 40 hex digits");
        }

        var infoHash = new InfoHash(bytes);
        if (infoHashes.Contains(infoHash))
        {
            return;
        }

        if (infoHashes.Count == MaxInfoHashes)
        {
            throw new LsdMessageException($"an announce carries at most {MaxInfoHashes} info-hashes");
        }

        infoHashes.Add(infoHash);
    }
}
