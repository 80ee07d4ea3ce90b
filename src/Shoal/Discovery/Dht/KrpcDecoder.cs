using System.Net;
using System.Net.Sockets;
using System.Text;
using Shoal.Bencoding;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>Parses one KRPC packet (BEP 5, 32, 43) strictly; every problem is a <see cref="KrpcException"/>.</summary>
public static class KrpcDecoder
{
    /// <summary>A KRPC packet must fit in one unfragmented UDP datagram on common paths.</summary>
    public const int MaxPacketSize = 1500;
    public const int MaxTransactionIdLength = 32;
    public const int MaxTokenLength = 64;
    public const int MaxErrorMessageLength = 256;

    private static readonly BencodeLimits Limits = new() { MaxDepth = 8, MaxTokens = 512 };

    public static KrpcMessage Decode(ReadOnlyMemory<byte> packet)
    {
        if (packet.Length > MaxPacketSize)
        {
            throw new KrpcException($"packet of {packet.Length} bytes exceeds {MaxPacketSize}");
        }

        BDictionary root;
        try
        {
            root = BencodeDecoder.DecodeDictionary(packet, Limits);
        }
        catch (BencodeException e)
        {
            throw new KrpcException($"bad bencode: {e.Message}", e);
        }

        ReadOnlyMemory<byte> transactionId = RequiredString(root, "t");
        if (transactionId.Length is 0 or > MaxTransactionIdLength)
        {
            throw new KrpcException($"transaction id of {transactionId.Length} bytes");
        }

        ReadOnlyMemory<byte> version = root.TryGetValue("v"u8, out BValue v) && v is BString vs ? vs.Bytes : default;
        bool readOnly = root.TryGetValue("ro"u8, out BValue ro) && ro is BInteger { Value: 1 };

        // BEP 42's ip is a hint: one that is not a compact endpoint is ignored rather than costing the whole message.
        IPEndPoint? requester = root.TryGetValue("ip"u8, out BValue ip) && ip is BString ips && CompactInfo.TryReadPeer(ips.Span, out IPEndPoint? read) ? read : null;
        ReadOnlySpan<byte> type = RequiredString(root, "y").Span;
        KrpcMessage message = type switch
        {
            _ when type.SequenceEqual("q"u8) => ReadQuery(root, transactionId),
            _ when type.SequenceEqual("r"u8) => ReadResponse(RequiredDictionary(root, "r"), transactionId),
            _ when type.SequenceEqual("e"u8) => ReadError(root, transactionId),
            _ => throw new KrpcException("message type y is not q, r or e"),
        };
        return message with { Version = version, ReadOnly = readOnly, Requester = requester };
    }

    private static KrpcQuery ReadQuery(BDictionary root, ReadOnlyMemory<byte> transactionId)
    {
        ReadOnlySpan<byte> method = RequiredString(root, "q").Span;
        BDictionary a = RequiredDictionary(root, "a");
        KrpcQueryKind kind = method switch
        {
            _ when method.SequenceEqual("ping"u8) => KrpcQueryKind.Ping,
            _ when method.SequenceEqual("find_node"u8) => KrpcQueryKind.FindNode,
            _ when method.SequenceEqual("get_peers"u8) => KrpcQueryKind.GetPeers,
            _ when method.SequenceEqual("announce_peer"u8) => KrpcQueryKind.AnnouncePeer,
            _ => KrpcQueryKind.Unknown,
        };
        var query = new KrpcQuery
        {
            TransactionId = transactionId,
            Kind = kind,
            Sender = RequiredId(a, "id"),
            Want = ReadWant(a),
        };
        switch (kind)
        {
            case KrpcQueryKind.FindNode:
                return query with { Target = RequiredId(a, "target") };
            case KrpcQueryKind.GetPeers:
                return query with { Target = RequiredId(a, "info_hash") };
            case KrpcQueryKind.AnnouncePeer:
                bool implied = a.TryGetValue("implied_port"u8, out BValue ip) && ip is BInteger { Value: 1 };
                long port = RequiredInteger(a, "port");
                if (port is < 0 or > ushort.MaxValue || (port == 0 && !implied))
                {
                    throw new KrpcException($"announce_peer port {port} is out of range");
                }

                return query with
                {
                    Target = RequiredId(a, "info_hash"),
                    Port = (int)port,
                    ImpliedPort = implied,
                    Token = RequiredToken(a),
                };
            default:
                return query;
        }
    }

    private static KrpcResponse ReadResponse(BDictionary r, ReadOnlyMemory<byte> transactionId)
    {
        var nodes = new List<CompactNode>();
        ReadNodes(OptionalString(r, "nodes"), AddressFamily.InterNetwork, nodes);
        ReadNodes(OptionalString(r, "nodes6"), AddressFamily.InterNetworkV6, nodes);
        var values = new List<IPEndPoint>();
        if (r.TryGetValue("values"u8, out BValue v))
        {
            if (v is not BList list)
            {
                throw new KrpcException("values is not a list");
            }

            foreach (BValue item in list)
            {
                ReadOnlySpan<byte> value = (item as BString ?? throw new KrpcException("a value is not a string")).Span;
                values.Add(CompactInfo.TryReadPeer(value, out IPEndPoint? peer)
                    ? peer
                    : throw new KrpcException($"a compact endpoint is {CompactInfo.IPv4PeerLength} or {CompactInfo.IPv6PeerLength} bytes, not {value.Length}"));
            }
        }

        return new KrpcResponse
        {
            TransactionId = transactionId,
            Sender = RequiredId(r, "id"),
            Nodes = [.. nodes.Select(NodeInfo.FromCompact)],
            Values = values,
            Token = r.ContainsKey("token") ? RequiredToken(r) : default,
        };
    }

    private static void ReadNodes(ReadOnlyMemory<byte>? compact, AddressFamily family, List<CompactNode> nodes)
    {
        if (compact is { } bytes && !CompactInfo.TryReadNodes(bytes.Span, family, nodes))
        {
            throw new KrpcException($"compact node info of {bytes.Length} bytes is not a multiple of {CompactInfo.NodeLength(family)}");
        }
    }

    private static KrpcError ReadError(BDictionary root, ReadOnlyMemory<byte> transactionId)
    {
        if (!root.TryGetValue("e"u8, out BValue e) || e is not BList { Count: 2 } list
            || list[0] is not BInteger code || list[1] is not BString text)
        {
            throw new KrpcException("error e is not a list of a code and a message");
        }

        if (code.Value is < 0 or > int.MaxValue || text.Bytes.Length > MaxErrorMessageLength)
        {
            throw new KrpcException("error code or message out of range");
        }

        return new KrpcError { TransactionId = transactionId, Code = (int)code.Value, Message = Encoding.UTF8.GetString(text.Span) };
    }

    private static NodeFamilies ReadWant(BDictionary a)
    {
        if (!a.TryGetValue("want"u8, out BValue want))
        {
            return NodeFamilies.None;
        }

        NodeFamilies families = NodeFamilies.None;
        foreach (BValue item in want as BList ?? throw new KrpcException("want is not a list"))
        {
            ReadOnlySpan<byte> flag = (item as BString ?? throw new KrpcException("a want flag is not a string")).Span;
            families |= flag.SequenceEqual("n4"u8) ? NodeFamilies.IPv4 : flag.SequenceEqual("n6"u8) ? NodeFamilies.IPv6 : NodeFamilies.None;
        }

        return families;
    }

    private static ReadOnlyMemory<byte> RequiredToken(BDictionary dictionary)
    {
        ReadOnlyMemory<byte> token = RequiredString(dictionary, "token");
        if (token.Length is 0 or > MaxTokenLength)
        {
            throw new KrpcException($"token of {token.Length} bytes");
        }

        return token;
    }

    private static NodeId RequiredId(BDictionary dictionary, string key)
    {
        ReadOnlyMemory<byte> id = RequiredString(dictionary, key);
        if (id.Length != NodeId.Size)
        {
            throw new KrpcException($"{key} is {id.Length} bytes, not {NodeId.Size}");
        }

        return NodeId.Read(id.Span);
    }

    private static ReadOnlyMemory<byte> RequiredString(BDictionary dictionary, string key) =>
        OptionalString(dictionary, key) ?? throw new KrpcException($"missing {key}");

    private static ReadOnlyMemory<byte>? OptionalString(BDictionary dictionary, string key)
    {
        if (!dictionary.TryGetValue(key, out BValue value))
        {
            return null;
        }

        return value is BString s ? s.Bytes : throw new KrpcException($"{key} is not a string");
    }

    private static long RequiredInteger(BDictionary dictionary, string key) =>
        dictionary.TryGetValue(key, out BValue value) && value is BInteger i ? i.Value : throw new KrpcException($"missing integer {key}");

    private static BDictionary RequiredDictionary(BDictionary dictionary, string key) =>
        dictionary.TryGetValue(key, out BValue value) && value is BDictionary d ? d : throw new KrpcException($"missing dictionary {key}");
}
