using System.Net.Sockets;
using Shoal.Bencoding;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>Writes KRPC messages (BEP 5) in canonical bencode: every dictionary's keys in sorted order.</summary>
public static class KrpcEncoder
{
    public static byte[] Encode(KrpcMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new BencodeWriter();
        writer.WriteDictionaryStart();
        switch (message)
        {
            case KrpcQuery query:
                writer.WriteString("a"u8);
                WriteArguments(writer, query);
                WriteRequester(writer, query);
                writer.WriteString("q"u8);
                writer.WriteString(MethodName(query.Kind));
                break;
            case KrpcError error:
                writer.WriteString("e"u8);
                writer.WriteListStart();
                writer.WriteInteger(error.Code);
                writer.WriteString(error.Message);
                writer.WriteEnd();
                WriteRequester(writer, error);
                break;
            case KrpcResponse response:
                WriteRequester(writer, response);
                writer.WriteString("r"u8);
                WriteResponse(writer, response);
                break;
            default:
                throw new ArgumentException($"unknown message type {message.GetType().Name}", nameof(message));
        }

        if (message.ReadOnly)
        {
            writer.WriteString("ro"u8);
            writer.WriteInteger(1);
        }

        writer.WriteString("t"u8);
        writer.WriteString(message.TransactionId.Span);
        if (!message.Version.IsEmpty)
        {
            writer.WriteString("v"u8);
            writer.WriteString(message.Version.Span);
        }

        writer.WriteString("y"u8);
        writer.WriteString(message switch
        {
            KrpcQuery => "q"u8,
            KrpcError => "e"u8,
            _ => "r"u8,
        });
        writer.WriteEnd();
        return writer.ToArray();
    }

    internal static ReadOnlySpan<byte> MethodName(KrpcQueryKind kind) => kind switch
    {
        KrpcQueryKind.Ping => "ping"u8,
        KrpcQueryKind.FindNode => "find_node"u8,
        KrpcQueryKind.GetPeers => "get_peers"u8,
        KrpcQueryKind.AnnouncePeer => "announce_peer"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no method name"),
    };

    // BEP 42: a top-level "ip", the compact address the message's recipient sent its query from.
    private static void WriteRequester(BencodeWriter writer, KrpcMessage message)
    {
        if (message.Requester is { } requester)
        {
            Span<byte> compact = stackalloc byte[CompactInfo.IPv6PeerLength];
            writer.WriteString("ip"u8);
            writer.WriteString(compact[..CompactInfo.WritePeer(compact, requester)]);
        }
    }

    private static void WriteArguments(BencodeWriter writer, KrpcQuery query)
    {
        Span<byte> id = stackalloc byte[NodeId.Size];
        writer.WriteDictionaryStart();
        WriteId(writer, "id"u8, query.Sender, id);
        bool announce = query.Kind == KrpcQueryKind.AnnouncePeer;
        if (announce && query.ImpliedPort)
        {
            writer.WriteString("implied_port"u8);
            writer.WriteInteger(1);
        }

        if (query.Kind is KrpcQueryKind.GetPeers or KrpcQueryKind.AnnouncePeer)
        {
            WriteId(writer, "info_hash"u8, query.Target, id);
        }

        if (announce)
        {
            writer.WriteString("port"u8);
            writer.WriteInteger(query.Port);
        }

        if (query.Kind == KrpcQueryKind.FindNode)
        {
            WriteId(writer, "target"u8, query.Target, id);
        }

        if (announce)
        {
            writer.WriteString("token"u8);
            writer.WriteString(query.Token.Span);
        }

        if (query.Want != NodeFamilies.None)
        {
            writer.WriteString("want"u8);
            writer.WriteListStart();
            if (query.Want.HasFlag(NodeFamilies.IPv4))
            {
                writer.WriteString("n4"u8);
            }

            if (query.Want.HasFlag(NodeFamilies.IPv6))
            {
                writer.WriteString("n6"u8);
            }

            writer.WriteEnd();
        }

        writer.WriteEnd();
    }

    private static void WriteResponse(BencodeWriter writer, KrpcResponse response)
    {
        Span<byte> id = stackalloc byte[NodeId.Size];
        writer.WriteDictionaryStart();
        WriteId(writer, "id"u8, response.Sender, id);
        WriteNodes(writer, "nodes"u8, response.Nodes, AddressFamily.InterNetwork);
        WriteNodes(writer, "nodes6"u8, response.Nodes, AddressFamily.InterNetworkV6);
        if (!response.Token.IsEmpty)
        {
            writer.WriteString("token"u8);
            writer.WriteString(response.Token.Span);
        }

        if (response.Values.Count > 0)
        {
            Span<byte> peer = stackalloc byte[CompactInfo.IPv6PeerLength];
            writer.WriteString("values"u8);
            writer.WriteListStart();
            foreach (var value in response.Values)
            {
                writer.WriteString(peer[..CompactInfo.WritePeer(peer, value)]);
            }

            writer.WriteEnd();
        }

        writer.WriteEnd();
    }

    private static void WriteNodes(BencodeWriter writer, ReadOnlySpan<byte> key, IReadOnlyList<NodeInfo> nodes, AddressFamily family)
    {
        byte[] compact = CompactInfo.EncodeNodes([.. nodes.Select(n => n.ToCompact())], family);
        if (compact.Length > 0)
        {
            writer.WriteString(key);
            writer.WriteString(compact);
        }
    }

    private static void WriteId(BencodeWriter writer, ReadOnlySpan<byte> key, NodeId value, Span<byte> scratch)
    {
        writer.WriteString(key);
        value.WriteTo(scratch);
        writer.WriteString(scratch);
    }
}
