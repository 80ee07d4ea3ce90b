using System.Net;
using System.Net.Sockets;
using Shoal.Bencoding;
using Shoal.Primitives;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// Encodes and parses the bencoded answer to an HTTP announce: BEP 3 (<c>interval</c>, <c>peers</c>
/// as a list of dictionaries, <c>failure reason</c>), BEP 23 (compact <c>peers</c>), BEP 7
/// (<c>peers6</c>), and the common extras <c>min interval</c>, <c>complete</c>, <c>incomplete</c>,
/// <c>warning message</c> and <c>tracker id</c>.
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
        var dictionary = new BDictionary();
        if (response.FailureReason is not null)
        {
            return dictionary.Set("failure reason", new BString(response.FailureReason)).Encode();
        }

        dictionary.Set("interval", new BInteger(response.Interval));
        SetOptional(dictionary, "min interval", response.MinInterval);
        SetOptional(dictionary, "complete", response.Complete);
        SetOptional(dictionary, "incomplete", response.Incomplete);
        if (response.WarningMessage is not null)
        {
            dictionary.Set("warning message", new BString(response.WarningMessage));
        }

        if (response.TrackerId is not null)
        {
            dictionary.Set("tracker id", new BString(response.TrackerId));
        }

        if (compact)
        {
            dictionary.Set("peers", new BString(CompactInfo.EncodePeers(response.Peers, AddressFamily.InterNetwork)));
            if (CompactInfo.CountPeers(response.Peers, AddressFamily.InterNetworkV6) > 0)
            {
                dictionary.Set("peers6", new BString(CompactInfo.EncodePeers(response.Peers, AddressFamily.InterNetworkV6)));
            }
        }
        else
        {
            var peers = new BList();
            foreach (IPEndPoint peer in response.Peers)
            {
                peers.Add(new BDictionary()
                    .Set("ip", new BString(IPv4Mapping.Unmap(peer.Address).ToString()))
                    .Set("port", new BInteger(peer.Port)));
            }

            dictionary.Set("peers", peers);
        }

        return dictionary.Encode();
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
        };
    }

    private static void SetOptional(BDictionary dictionary, string key, int? value)
    {
        if (value is int number)
        {
            dictionary.Set(key, new BInteger(number));
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
