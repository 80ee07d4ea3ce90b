using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Shoal.Bencoding;
using Shoal.Primitives;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// Encodes and parses the bencoded answer to an HTTP announce: BEP 3 (<c>interval</c>, <c>peers</c>
/// as a list of dictionaries, <c>failure reason</c>), BEP 23 (compact <c>peers</c>), BEP 7
/// (<c>peers6</c>), and the common extras <c>min interval</c>, <c>complete</c>, <c>incomplete</c>,
/// <c>warning message</c> and <c>tracker id</c>, and BEP 24's <c>external ip</c> (read, not written); a tracker may add
/// <c>downloaded</c>, which clients ignore.
/// </summary>
public static class AnnounceResponseCodec
{
    /// <summary>Bounds for decoding a response: a few thousand peers at most.</summary>
    public static BencodeLimits Limits { get; } = new() { MaxDepth = 8, MaxTokens = 200_000 };

    /// <summary>
    /// Bencodes the response. Compact puts IPv4 peers in <c>peers</c> (6 bytes each, BEP 23) and IPv6
    /// peers in <c>peers6</c> (18 bytes each, BEP 7); otherwise <c>peers</c> is a list of
    /// <c>ip</c>/<c>port</c> dictionaries (BEP 3). A failure encodes only its <c>failure reason</c>.
    /// </summary>
    public static byte[] Encode(AnnounceResponse response, bool compact)
    {
        ArgumentNullException.ThrowIfNull(response);
        var buffer = new ArrayBufferWriter<byte>();
        if (response.FailureReason is not null)
        {
            WriteFailure(buffer, response.FailureReason);
            return buffer.WrittenSpan.ToArray();
        }

        var fields = new CompactAnnounceResponse(
            response.Interval,
            compact ? CompactInfo.EncodePeers(response.Peers, AddressFamily.InterNetwork) : default,
            compact ? CompactInfo.EncodePeers(response.Peers, AddressFamily.InterNetworkV6) : default)
        {
            MinInterval = response.MinInterval,
            Complete = response.Complete,
            Incomplete = response.Incomplete,
            WarningMessage = response.WarningMessage,
            TrackerId = response.TrackerId,
        };
        if (compact)
        {
            Write(buffer, fields);
        }
        else
        {
            WriteWithPeerDictionaries(buffer, fields, response.Peers);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Bencodes an answer whose peers are already compact into <paramref name="destination"/>, key by
    /// key with no tree and no copy of the peers but the one into the destination: a tracker's
    /// hottest path. <c>peers6</c> is left out when there are no IPv6 peers.
    /// </summary>
    public static void Write(IBufferWriter<byte> destination, in CompactAnnounceResponse response)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new BencodeWriter(destination);
        writer.WriteDictionaryStart();
        WriteKeysBeforePeers(writer, response);
        writer.WriteString("peers"u8);
        writer.WriteString(response.Peers4.Span);
        if (!response.Peers6.IsEmpty)
        {
            writer.WriteString("peers6"u8);
            writer.WriteString(response.Peers6.Span);
        }

        WriteKeysAfterPeers(writer, response);
        writer.WriteEnd();
    }

    /// <summary>
    /// Parses a tracker's response. A <c>failure reason</c> is returned in the record, not thrown.
    /// Peers may be compact or dictionaries, plus <c>peers6</c>; dictionary peers whose <c>ip</c> is a
    /// host name rather than an address are skipped (resolving is not this codec's business).
    /// Malformed input is a <see cref="TrackerProtocolException"/>.
    /// </summary>
    public static AnnounceResponse Parse(ReadOnlyMemory<byte> body)
    {
        BDictionary dictionary = BencodeFields.DecodeDictionary(body, Limits);
        if (dictionary.TryGetValue("failure reason", out BValue failure))
        {
            return AnnounceResponse.Failure(BencodeFields.Text(failure, "failure reason"));
        }

        var peers = new List<IPEndPoint>();
        switch (dictionary["peers"])
        {
            case null:
                break;
            case BString compact:
                ReadCompact(compact, AddressFamily.InterNetwork, peers, "peers");
                break;
            case BList list:
                ReadPeerDictionaries(list, peers);
                break;
            default:
                throw new TrackerProtocolException("peers is neither a string nor a list");
        }

        switch (dictionary["peers6"])
        {
            case null:
                break;
            case BString compact6:
                ReadCompact(compact6, AddressFamily.InterNetworkV6, peers, "peers6");
                break;
            default:
                throw new TrackerProtocolException("peers6 is not a string");
        }

        return new AnnounceResponse
        {
            Interval = BencodeFields.Int(dictionary["interval"], "interval") ?? throw new TrackerProtocolException("missing interval"),
            MinInterval = BencodeFields.Int(dictionary["min interval"], "min interval"),
            Complete = BencodeFields.Int(dictionary["complete"], "complete"),
            Incomplete = BencodeFields.Int(dictionary["incomplete"], "incomplete"),
            Peers = peers,
            WarningMessage = BencodeFields.OptionalText(dictionary["warning message"], "warning message"),
            TrackerId = BencodeFields.OptionalText(dictionary["tracker id"], "tracker id"),

            // BEP 24: packed, 4 or 16 bytes; any other length is ignored, like an unknown key.
            ExternalIp = dictionary["external ip"] is BString { Bytes.Length: 4 or 16 } ip ? new IPAddress(ip.Span) : null,
        };
    }

    // A refusal carries its failure reason only (BEP 3).
    private static void WriteFailure(IBufferWriter<byte> destination, string reason)
    {
        var writer = new BencodeWriter(destination);
        writer.WriteDictionaryStart();
        writer.WriteString("failure reason"u8);
        writer.WriteString(reason);
        writer.WriteEnd();
    }

    // BEP 3 peers as ip/port dictionaries, in the list's order; fields' compact peers are unused.
    private static void WriteWithPeerDictionaries(IBufferWriter<byte> destination, in CompactAnnounceResponse fields, IReadOnlyList<IPEndPoint> peers)
    {
        var writer = new BencodeWriter(destination);
        writer.WriteDictionaryStart();
        WriteKeysBeforePeers(writer, fields);
        writer.WriteString("peers"u8);
        writer.WriteListStart();
        foreach (IPEndPoint peer in peers)
        {
            writer.WriteDictionaryStart();
            writer.WriteString("ip"u8);
            writer.WriteString(IPv4Mapping.Unmap(peer.Address).ToString());
            writer.WriteString("port"u8);
            writer.WriteInteger(peer.Port);
            writer.WriteEnd();
        }

        writer.WriteEnd();
        WriteKeysAfterPeers(writer, fields);
        writer.WriteEnd();
    }

    // A dictionary's keys are written in sorted order (BEP 3): these sort before "peers"...
    private static void WriteKeysBeforePeers(BencodeWriter writer, in CompactAnnounceResponse response)
    {
        WriteOptional(writer, "complete"u8, response.Complete);
        WriteOptional(writer, "downloaded"u8, response.Downloaded);
        WriteOptional(writer, "incomplete"u8, response.Incomplete);
        writer.WriteString("interval"u8);
        writer.WriteInteger(response.Interval);
        WriteOptional(writer, "min interval"u8, response.MinInterval);
    }

    // ...and these after "peers" and "peers6".
    private static void WriteKeysAfterPeers(BencodeWriter writer, in CompactAnnounceResponse response)
    {
        if (response.TrackerId is not null)
        {
            writer.WriteString("tracker id"u8);
            writer.WriteString(response.TrackerId);
        }

        if (response.WarningMessage is not null)
        {
            writer.WriteString("warning message"u8);
            writer.WriteString(response.WarningMessage);
        }
    }

    private static void WriteOptional(BencodeWriter writer, ReadOnlySpan<byte> key, long? value)
    {
        if (value is long number)
        {
            writer.WriteString(key);
            writer.WriteInteger(number);
        }
    }

    private static void ReadCompact(BString compact, AddressFamily family, List<IPEndPoint> peers, string key)
    {
        if (!CompactInfo.TryReadPeers(compact.Span, family, peers))
        {
            throw new TrackerProtocolException($"{key} is {compact.Bytes.Length} bytes, not a multiple of {CompactInfo.PeerLength(family)}");
        }
    }

    private static void ReadPeerDictionaries(BList list, List<IPEndPoint> peers)
    {
        foreach (BValue item in list)
        {
            if (item is not BDictionary peer)
            {
                throw new TrackerProtocolException("a peer is not a dictionary");
            }

            string ip = BencodeFields.Text(peer["ip"] ?? throw new TrackerProtocolException("a peer has no ip"), "ip");
            int port = BencodeFields.Int(peer["port"], "port") ?? throw new TrackerProtocolException("a peer has no port");
            if (port is < 1 or > 65535)
            {
                throw new TrackerProtocolException("a peer's port is out of range");
            }

            if (IPAddress.TryParse(ip, out IPAddress? address))
            {
                peers.Add(new IPEndPoint(IPv4Mapping.Unmap(address), port));
            }
        }
    }
}
