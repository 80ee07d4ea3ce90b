using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// Sans-I/O codec of the UDP tracker protocol (BEP 15), big-endian throughout. Writers return the
/// bytes written and throw <see cref="ArgumentException"/> when the destination is too small; readers
/// accept longer packets (BEP 15: "do not expect packets to be exactly of a certain size") and throw
/// only <see cref="TrackerProtocolException"/> on short or malformed ones.
/// </summary>
public static class UdpTrackerCodec
{
    /// <summary>The magic constant that opens a connect request.</summary>
    public const long ProtocolId = 0x41727101980;

    public const int ConnectRequestLength = 16;
    public const int ConnectResponseLength = 16;
    public const int AnnounceRequestLength = 98;
    public const int AnnounceResponseHeaderLength = 20;
    public const int ScrapeRequestHeaderLength = 16;
    public const int ScrapeResponseHeaderLength = 8;
    public const int ErrorHeaderLength = 8;

    /// <summary>The most info-hashes one scrape request may carry ("up to about 74", BEP 15).</summary>
    public const int MaxScrapeInfoHashes = 74;

    private const int ScrapeEntryLength = 12;
    private const int IdLength = AnnounceRequest.IdLength;

    public static int WriteConnectRequest(Span<byte> destination, UdpConnectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Check(destination, ConnectRequestLength);
        BinaryPrimitives.WriteInt64BigEndian(destination, ProtocolId);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], (int)UdpTrackerAction.Connect);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], request.TransactionId);
        return ConnectRequestLength;
    }

    public static int WriteConnectResponse(Span<byte> destination, UdpConnectResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Check(destination, ConnectResponseLength);
        WriteResponseHeader(destination, UdpTrackerAction.Connect, response.TransactionId);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], response.ConnectionId);
        return ConnectResponseLength;
    }

    public static int WriteAnnounceRequest(Span<byte> destination, UdpAnnounceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PeerId.Length != IdLength)
        {
            throw new ArgumentException($"a peer id is {IdLength} bytes", nameof(request));
        }

        Check(destination, AnnounceRequestLength);
        WriteRequestHeader(destination, request.ConnectionId, UdpTrackerAction.Announce, request.TransactionId);
        request.InfoHash.Truncated.Span.CopyTo(destination[16..36]);
        request.PeerId.Span.CopyTo(destination[36..56]);
        BinaryPrimitives.WriteInt64BigEndian(destination[56..], request.Downloaded);
        BinaryPrimitives.WriteInt64BigEndian(destination[64..], request.Left);
        BinaryPrimitives.WriteInt64BigEndian(destination[72..], request.Uploaded);
        BinaryPrimitives.WriteInt32BigEndian(destination[80..], EventCode(request.Event));
        BinaryPrimitives.WriteUInt32BigEndian(destination[84..], request.IPv4Address);
        BinaryPrimitives.WriteUInt32BigEndian(destination[88..], request.Key);
        BinaryPrimitives.WriteInt32BigEndian(destination[92..], request.NumWant);
        BinaryPrimitives.WriteUInt16BigEndian(destination[96..], request.Port);
        return AnnounceRequestLength;
    }

    /// <summary>Writes an announce response with the peers of <paramref name="family"/>; peers of the other family are left out.</summary>
    public static int WriteAnnounceResponse(Span<byte> destination, UdpAnnounceResponse response, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(response);
        int length = AnnounceResponseHeaderLength + (CompactInfo.CountPeers(response.Peers, family) * CompactInfo.PeerLength(family));
        Check(destination, length);
        WriteAnnounceResponseHeader(destination, response.TransactionId, response.Interval, response.Leechers, response.Seeders);
        CompactInfo.WritePeers(destination[AnnounceResponseHeaderLength..], response.Peers, family);
        return length;
    }

    /// <summary>
    /// Writes an announce response whose peers are already compact entries of the family the packet
    /// travels over (6 bytes each over IPv4, 18 over IPv6: BEP 15), copied as they are, as a tracker
    /// samples them.
    /// </summary>
    public static int WriteAnnounceResponse(Span<byte> destination, int transactionId, int interval, int leechers, int seeders, ReadOnlySpan<byte> compactPeers)
    {
        int length = AnnounceResponseHeaderLength + compactPeers.Length;
        Check(destination, length);
        WriteAnnounceResponseHeader(destination, transactionId, interval, leechers, seeders);
        compactPeers.CopyTo(destination[AnnounceResponseHeaderLength..]);
        return length;
    }

    public static int WriteScrapeRequest(Span<byte> destination, UdpScrapeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.InfoHashes.Count is 0 or > MaxScrapeInfoHashes)
        {
            throw new ArgumentException($"a scrape carries 1 to {MaxScrapeInfoHashes} info-hashes", nameof(request));
        }

        int length = ScrapeRequestHeaderLength + (IdLength * request.InfoHashes.Count);
        Check(destination, length);
        WriteRequestHeader(destination, request.ConnectionId, UdpTrackerAction.Scrape, request.TransactionId);
        for (int i = 0; i < request.InfoHashes.Count; i++)
        {
            request.InfoHashes[i].Truncated.Span.CopyTo(destination[(ScrapeRequestHeaderLength + (i * IdLength))..]);
        }

        return length;
    }

    public static int WriteScrapeResponse(Span<byte> destination, UdpScrapeResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        int length = ScrapeResponseHeaderLength + (ScrapeEntryLength * response.Stats.Count);
        Check(destination, length);
        WriteResponseHeader(destination, UdpTrackerAction.Scrape, response.TransactionId);
        for (int i = 0; i < response.Stats.Count; i++)
        {
            Span<byte> entry = destination[(ScrapeResponseHeaderLength + (i * ScrapeEntryLength))..];
            BinaryPrimitives.WriteInt32BigEndian(entry, response.Stats[i].Complete);
            BinaryPrimitives.WriteInt32BigEndian(entry[4..], response.Stats[i].Downloaded);
            BinaryPrimitives.WriteInt32BigEndian(entry[8..], response.Stats[i].Incomplete);
        }

        return length;
    }

    /// <summary>Writes an error packet; the message is UTF-8 and cut (on a character boundary) to fit.</summary>
    public static int WriteError(Span<byte> destination, UdpErrorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Check(destination, ErrorHeaderLength);
        WriteResponseHeader(destination, UdpTrackerAction.Error, response.TransactionId);
        Span<byte> text = destination[ErrorHeaderLength..];
        int written = 0;
        foreach (Rune rune in response.Message.EnumerateRunes())
        {
            if (!rune.TryEncodeToUtf8(text[written..], out int length))
            {
                break;
            }

            written += length;
        }

        return ErrorHeaderLength + written;
    }

    /// <summary>
    /// The action of a packet a tracker received (at offset 8, after the protocol or connection id).
    /// Throws <see cref="TrackerProtocolException"/> when the packet is short or the action unknown.
    /// </summary>
    public static UdpTrackerAction ReadRequestAction(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 16)
        {
            throw new TrackerProtocolException($"a request is at least 16 bytes, not {packet.Length}");
        }

        int action = BinaryPrimitives.ReadInt32BigEndian(packet[8..]);
        return action is >= (int)UdpTrackerAction.Connect and <= (int)UdpTrackerAction.Scrape
            ? (UdpTrackerAction)action
            : throw new TrackerProtocolException($"unknown request action {action}");
    }

    /// <summary>
    /// The fields every packet a tracker receives opens with: connection id (the protocol id in a
    /// connect), action and transaction id. Throws <see cref="TrackerProtocolException"/> when the
    /// packet is short or the action unknown.
    /// </summary>
    public static UdpRequestHeader ReadRequestHeader(ReadOnlySpan<byte> packet) =>
        new(ReadRequestAction(packet), BinaryPrimitives.ReadInt64BigEndian(packet), BinaryPrimitives.ReadInt32BigEndian(packet[12..]));

    /// <summary>
    /// Decodes any packet a tracker received: a <see cref="UdpConnectRequest"/>,
    /// <see cref="UdpAnnounceRequest"/> or <see cref="UdpScrapeRequest"/>. Throws nothing but
    /// <see cref="TrackerProtocolException"/>.
    /// </summary>
    public static UdpTrackerMessage ReadRequest(ReadOnlySpan<byte> packet) => ReadRequestAction(packet) switch
    {
        UdpTrackerAction.Connect => ReadConnectRequest(packet),
        UdpTrackerAction.Announce => ReadAnnounceRequest(packet),
        _ => ReadScrapeRequest(packet),
    };

    /// <summary>
    /// Decodes any packet a client received: connect, announce (peers of <paramref name="family"/>),
    /// scrape or error response. Throws nothing but <see cref="TrackerProtocolException"/>.
    /// </summary>
    public static UdpTrackerMessage ReadResponse(ReadOnlySpan<byte> packet, AddressFamily family) => ReadResponseAction(packet) switch
    {
        UdpTrackerAction.Connect => ReadConnectResponse(packet),
        UdpTrackerAction.Announce => ReadAnnounceResponse(packet, family),
        UdpTrackerAction.Scrape => ReadScrapeResponse(packet),
        _ => ReadError(packet),
    };

    public static UdpConnectRequest ReadConnectRequest(ReadOnlySpan<byte> packet)
    {
        ExpectRequest(packet, UdpTrackerAction.Connect, ConnectRequestLength);
        if (BinaryPrimitives.ReadInt64BigEndian(packet) != ProtocolId)
        {
            throw new TrackerProtocolException("connect request without the protocol id");
        }

        return new UdpConnectRequest(BinaryPrimitives.ReadInt32BigEndian(packet[12..]));
    }

    public static UdpConnectResponse ReadConnectResponse(ReadOnlySpan<byte> packet)
    {
        ExpectResponse(packet, UdpTrackerAction.Connect, ConnectResponseLength);
        return new UdpConnectResponse(BinaryPrimitives.ReadInt32BigEndian(packet[4..]), BinaryPrimitives.ReadInt64BigEndian(packet[8..]));
    }

    public static UdpAnnounceRequest ReadAnnounceRequest(ReadOnlySpan<byte> packet) => ReadAnnounceFields(packet).ToRequest();

    /// <summary>Reads an announce request as <see cref="ReadAnnounceRequest"/> does, allocating nothing.</summary>
    public static UdpAnnounceFields ReadAnnounceFields(ReadOnlySpan<byte> packet)
    {
        ExpectRequest(packet, UdpTrackerAction.Announce, AnnounceRequestLength);
        return new UdpAnnounceFields(
            ConnectionId: BinaryPrimitives.ReadInt64BigEndian(packet),
            TransactionId: BinaryPrimitives.ReadInt32BigEndian(packet[12..]),
            InfoHash: UInt160.Read(packet[16..36]),
            PeerId: UInt160.Read(packet[36..56]),
            Downloaded: NonNegative(BinaryPrimitives.ReadInt64BigEndian(packet[56..]), "downloaded"),
            Left: NonNegative(BinaryPrimitives.ReadInt64BigEndian(packet[64..]), "left"),
            Uploaded: NonNegative(BinaryPrimitives.ReadInt64BigEndian(packet[72..]), "uploaded"),
            Event: EventFromCode(BinaryPrimitives.ReadInt32BigEndian(packet[80..])),
            IPv4Address: BinaryPrimitives.ReadUInt32BigEndian(packet[84..]),
            Key: BinaryPrimitives.ReadUInt32BigEndian(packet[88..]),
            NumWant: BinaryPrimitives.ReadInt32BigEndian(packet[92..]),
            Port: BinaryPrimitives.ReadUInt16BigEndian(packet[96..]));
    }

    /// <summary>Reads an announce response whose peers are of <paramref name="family"/> (the family the packet came over).</summary>
    public static UdpAnnounceResponse ReadAnnounceResponse(ReadOnlySpan<byte> packet, AddressFamily family)
    {
        ExpectResponse(packet, UdpTrackerAction.Announce, AnnounceResponseHeaderLength);
        var peers = new List<IPEndPoint>();
        ReadOnlySpan<byte> compact = packet[AnnounceResponseHeaderLength..];
        if (!CompactInfo.TryReadPeers(compact, family, peers))
        {
            throw new TrackerProtocolException($"the peer list is {compact.Length} bytes, not a multiple of {CompactInfo.PeerLength(family)}");
        }

        return new UdpAnnounceResponse(
            BinaryPrimitives.ReadInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadInt32BigEndian(packet[8..]),
            BinaryPrimitives.ReadInt32BigEndian(packet[12..]),
            BinaryPrimitives.ReadInt32BigEndian(packet[16..]),
            peers);
    }

    public static UdpScrapeRequest ReadScrapeRequest(ReadOnlySpan<byte> packet)
    {
        ExpectRequest(packet, UdpTrackerAction.Scrape, ScrapeRequestHeaderLength + IdLength);
        ReadOnlySpan<byte> hashes = packet[ScrapeRequestHeaderLength..];
        if (hashes.Length % IdLength != 0)
        {
            throw new TrackerProtocolException($"scrape request info-hashes are {hashes.Length} bytes, not a multiple of {IdLength}");
        }

        int count = hashes.Length / IdLength;
        if (count > MaxScrapeInfoHashes)
        {
            throw new TrackerProtocolException($"scrape request for {count} torrents, more than {MaxScrapeInfoHashes}");
        }

        var infoHashes = new InfoHash[count];
        for (int i = 0; i < count; i++)
        {
            infoHashes[i] = new InfoHash(hashes.Slice(i * IdLength, IdLength));
        }

        return new UdpScrapeRequest(BinaryPrimitives.ReadInt64BigEndian(packet), BinaryPrimitives.ReadInt32BigEndian(packet[12..]), infoHashes);
    }

    public static UdpScrapeResponse ReadScrapeResponse(ReadOnlySpan<byte> packet)
    {
        ExpectResponse(packet, UdpTrackerAction.Scrape, ScrapeResponseHeaderLength);
        ReadOnlySpan<byte> entries = packet[ScrapeResponseHeaderLength..];
        if (entries.Length % ScrapeEntryLength != 0)
        {
            throw new TrackerProtocolException($"scrape response entries are {entries.Length} bytes, not a multiple of {ScrapeEntryLength}");
        }

        var stats = new ScrapeStats[entries.Length / ScrapeEntryLength];
        for (int i = 0; i < stats.Length; i++)
        {
            ReadOnlySpan<byte> entry = entries.Slice(i * ScrapeEntryLength, ScrapeEntryLength);
            stats[i] = new ScrapeStats(
                BinaryPrimitives.ReadInt32BigEndian(entry),
                BinaryPrimitives.ReadInt32BigEndian(entry[4..]),
                BinaryPrimitives.ReadInt32BigEndian(entry[8..]));
        }

        return new UdpScrapeResponse(BinaryPrimitives.ReadInt32BigEndian(packet[4..]), stats);
    }

    /// <summary>Reads an error packet; the message is decoded as UTF-8, invalid bytes replaced.</summary>
    public static UdpErrorResponse ReadError(ReadOnlySpan<byte> packet)
    {
        ExpectResponse(packet, UdpTrackerAction.Error, ErrorHeaderLength);
        return new UdpErrorResponse(BinaryPrimitives.ReadInt32BigEndian(packet[4..]), Encoding.UTF8.GetString(packet[ErrorHeaderLength..]));
    }

    private static UdpTrackerAction ReadResponseAction(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 8)
        {
            throw new TrackerProtocolException($"a response is at least 8 bytes, not {packet.Length}");
        }

        int action = BinaryPrimitives.ReadInt32BigEndian(packet);
        return action is >= (int)UdpTrackerAction.Connect and <= (int)UdpTrackerAction.Error
            ? (UdpTrackerAction)action
            : throw new TrackerProtocolException($"unknown response action {action}");
    }

    private static void ExpectRequest(ReadOnlySpan<byte> packet, UdpTrackerAction action, int minimumLength)
    {
        if (ReadRequestAction(packet) != action)
        {
            throw new TrackerProtocolException($"expected a {action} request");
        }

        if (packet.Length < minimumLength)
        {
            throw new TrackerProtocolException($"{action} request is at least {minimumLength} bytes, not {packet.Length}");
        }
    }

    private static void ExpectResponse(ReadOnlySpan<byte> packet, UdpTrackerAction action, int minimumLength)
    {
        if (ReadResponseAction(packet) != action)
        {
            throw new TrackerProtocolException($"expected a {action} response");
        }

        if (packet.Length < minimumLength)
        {
            throw new TrackerProtocolException($"{action} response is at least {minimumLength} bytes, not {packet.Length}");
        }
    }

    private static void WriteRequestHeader(Span<byte> destination, long connectionId, UdpTrackerAction action, int transactionId)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, connectionId);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], (int)action);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], transactionId);
    }

    private static void WriteResponseHeader(Span<byte> destination, UdpTrackerAction action, int transactionId)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, (int)action);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], transactionId);
    }

    private static void WriteAnnounceResponseHeader(Span<byte> destination, int transactionId, int interval, int leechers, int seeders)
    {
        WriteResponseHeader(destination, UdpTrackerAction.Announce, transactionId);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], interval);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], leechers);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], seeders);
    }

    private static void Check(Span<byte> destination, int length)
    {
        if (destination.Length < length)
        {
            throw new ArgumentException($"the packet needs {length} bytes, the destination has {destination.Length}", nameof(destination));
        }
    }

    private static long NonNegative(long value, string name) =>
        value >= 0 ? value : throw new TrackerProtocolException($"{name} must not be negative");

    // BEP 15 numbers events differently from their order in BEP 3: 0 none, 1 completed, 2 started, 3 stopped.
    private static int EventCode(AnnounceEvent value) => value switch
    {
        AnnounceEvent.Completed => 1,
        AnnounceEvent.Started => 2,
        AnnounceEvent.Stopped => 3,
        _ => 0,
    };

    private static AnnounceEvent EventFromCode(int code) => code switch
    {
        0 => AnnounceEvent.None,
        1 => AnnounceEvent.Completed,
        2 => AnnounceEvent.Started,
        3 => AnnounceEvent.Stopped,
        _ => throw new TrackerProtocolException($"unknown event {code}"),
    };
}
