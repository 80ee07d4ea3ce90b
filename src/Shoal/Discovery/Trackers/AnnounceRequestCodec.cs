using System.Buffers.Text;
using System.Net;
using System.Text;
using Shoal.Metainfo;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// Builds and parses the query string of an HTTP announce (BEP 3 "trackers" section; <c>compact</c>
/// from BEP 23; <c>numwant</c>, <c>key</c> and <c>trackerid</c> as every tracker knows them).
/// </summary>
public static class AnnounceRequestCodec
{
    /// <summary>Longest <c>key</c> or <c>trackerid</c> value accepted, in bytes.</summary>
    public const int MaxTokenLength = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// The GET URL for the announce: the announce URL (its own query, such as a passkey, kept) with
    /// the request's parameters appended, binary values percent-encoded byte by byte.
    /// </summary>
    public static string AppendQuery(Uri announceUrl, AnnounceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PeerId.Length != AnnounceRequest.IdLength)
        {
            throw new ArgumentException($"a peer id is {AnnounceRequest.IdLength} bytes", nameof(request));
        }

        StringBuilder query = TrackerQuery.Start(announceUrl);
        TrackerQuery.AppendParameter(query, "info_hash", request.InfoHash.Truncated.Span);
        TrackerQuery.AppendParameter(query, "peer_id", request.PeerId.Span);
        TrackerQuery.AppendParameter(query, "port", request.Port);
        TrackerQuery.AppendParameter(query, "uploaded", request.Uploaded);
        TrackerQuery.AppendParameter(query, "downloaded", request.Downloaded);
        TrackerQuery.AppendParameter(query, "left", request.Left);
        TrackerQuery.AppendParameter(query, "compact", request.Compact ? 1 : 0);
        if (request.Event != AnnounceEvent.None)
        {
            TrackerQuery.AppendParameter(query, "event", EventName(request.Event));
        }

        if (request.NumWant is int numWant)
        {
            TrackerQuery.AppendParameter(query, "numwant", numWant);
        }

        if (request.Key is not null)
        {
            TrackerQuery.AppendParameter(query, "key", request.Key);
        }

        if (request.TrackerId is not null)
        {
            TrackerQuery.AppendParameter(query, "trackerid", request.TrackerId);
        }

        if (request.IP is not null)
        {
            TrackerQuery.AppendParameter(query, "ip", request.IP.ToString());
        }

        return TrackerQuery.Finish(query);
    }

    /// <summary>
    /// Parses the raw (still percent-encoded) query string a tracker received, with or without its
    /// leading <c>?</c>. Unknown parameters are ignored; a missing, repeated or malformed known one is
    /// a <see cref="TrackerProtocolException"/>. <c>numwant</c> is only checked to be non-negative:
    /// the tracker caps it. A missing <c>compact</c> reads as compact, which BEP 23 suggests as default.
    /// </summary>
    public static AnnounceRequest Parse(string rawQueryString)
    {
        List<KeyValuePair<string, byte[]>> parameters = TrackerQuery.Parse(rawQueryString);
        byte[]? infoHash = null, peerId = null, port = null, uploaded = null, downloaded = null, left = null;
        byte[]? eventName = null, compact = null, numWant = null, key = null, trackerId = null, ip = null;
        foreach ((string name, byte[] value) in parameters)
        {
            switch (name)
            {
                case "info_hash": Take(ref infoHash, name, value); break;
                case "peer_id": Take(ref peerId, name, value); break;
                case "port": Take(ref port, name, value); break;
                case "uploaded": Take(ref uploaded, name, value); break;
                case "downloaded": Take(ref downloaded, name, value); break;
                case "left": Take(ref left, name, value); break;
                case "event": Take(ref eventName, name, value); break;
                case "compact": Take(ref compact, name, value); break;
                case "numwant": Take(ref numWant, name, value); break;
                case "key": Take(ref key, name, value); break;
                case "trackerid": Take(ref trackerId, name, value); break;
                case "ip": Take(ref ip, name, value); break;
                default: break;
            }
        }

        InfoHash hash = new(Id(infoHash, "info_hash"));
        byte[] peer = Id(peerId, "peer_id");
        long portNumber = Number(port, "port");
        if (portNumber is < 1 or > 65535)
        {
            throw new TrackerProtocolException("port must be between 1 and 65535");
        }

        return new AnnounceRequest(
            hash,
            peer,
            (int)portNumber,
            Number(uploaded, "uploaded"),
            Number(downloaded, "downloaded"),
            Number(left, "left"),
            ParseEvent(eventName),
            compact is null || ParseCompact(compact))
        {
            NumWant = numWant is null ? null : NumWant(numWant),
            Key = Token(key, "key"),
            TrackerId = Token(trackerId, "trackerid"),
            IP = ip is null ? null : Address(ip),
        };
    }

    internal static string EventName(AnnounceEvent value) => value switch
    {
        AnnounceEvent.Started => "started",
        AnnounceEvent.Completed => "completed",
        AnnounceEvent.Stopped => "stopped",
        AnnounceEvent.Paused => "paused",
        _ => "",
    };

    /// <summary>Reads a required, non-negative decimal number that fits a <see cref="long"/>.</summary>
    internal static long Number(byte[]? value, string name)
    {
        if (value is null)
        {
            throw new TrackerProtocolException($"missing {name}");
        }

        if (value.Length > 0 && value[0] == (byte)'-')
        {
            throw new TrackerProtocolException($"{name} must not be negative");
        }

        if (value.Length == 0 || value.Length > 19 || !IsDigits(value)
            || !Utf8Parser.TryParse(value, out long number, out int consumed) || consumed != value.Length || number < 0)
        {
            throw new TrackerProtocolException($"{name} is not a valid number");
        }

        return number;
    }

    private static int NumWant(byte[] value)
    {
        long number = Number(value, "numwant");
        return number > int.MaxValue ? throw new TrackerProtocolException("numwant is too large") : (int)number;
    }

    private static bool IsDigits(ReadOnlySpan<byte> value)
    {
        foreach (byte b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    private static void Take(ref byte[]? slot, string name, byte[] value)
    {
        if (slot is not null)
        {
            throw new TrackerProtocolException($"{name} given more than once");
        }

        slot = value;
    }

    private static byte[] Id(byte[]? value, string name) => value switch
    {
        null => throw new TrackerProtocolException($"missing {name}"),
        { Length: AnnounceRequest.IdLength } => value,
        _ => throw new TrackerProtocolException($"{name} must be {AnnounceRequest.IdLength} bytes, not {value.Length}"),
    };

    private static AnnounceEvent ParseEvent(byte[]? value) => value switch
    {
        null or [] => AnnounceEvent.None,
        _ when "started"u8.SequenceEqual(value) => AnnounceEvent.Started,
        _ when "completed"u8.SequenceEqual(value) => AnnounceEvent.Completed,
        _ when "stopped"u8.SequenceEqual(value) => AnnounceEvent.Stopped,
        _ when "paused"u8.SequenceEqual(value) => AnnounceEvent.Paused,
        _ when "empty"u8.SequenceEqual(value) => AnnounceEvent.None,
        _ => throw new TrackerProtocolException("unknown event"),
    };

    private static bool ParseCompact(byte[] value) => value switch
    {
        [(byte)'1'] => true,
        [(byte)'0'] => false,
        _ => throw new TrackerProtocolException("compact must be 0 or 1"),
    };

    private static string? Token(byte[]? value, string name)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > MaxTokenLength)
        {
            throw new TrackerProtocolException($"{name} is longer than {MaxTokenLength} bytes");
        }

        // Opaque to the tracker, and some clients send raw bytes (aria2's key is 8 random bytes):
        // text when it is UTF-8, as Shoal's own clients send it, else Latin-1, one character per byte.
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(value);
        }
    }

    // BEP 3 allows a DNS name here too; a tracker does not resolve it, so anything but an address is left out.
    private static IPAddress? Address(byte[] value) =>
        value.Length <= 64 && IPAddress.TryParse(Encoding.ASCII.GetString(value), out IPAddress? address) ? address : null;
}
