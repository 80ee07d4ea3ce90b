using System.Net;
using System.Net.Sockets;
using Shoal.Primitives;

namespace Shoal.Discovery.Dht;

/// <summary>Answers incoming BEP 5 queries from the routing table, the token secrets and the peer store.</summary>
internal sealed class QueryResponder(NodeId self, RoutingTable table, TokenSecrets tokens, PeerStore store, DhtNodeOptions options)
{
    public KrpcMessage Answer(KrpcQuery query, IPEndPoint from, DateTimeOffset now)
    {
        // BEP 42: every answer tells the querier the address we saw it at.
        var response = new KrpcResponse { TransactionId = query.TransactionId, Sender = self, Version = options.Version, Requester = from };
        switch (query.Kind)
        {
            case KrpcQueryKind.Ping:
                return response;
            case KrpcQueryKind.FindNode:
                return response with { Nodes = ClosestFor(query, from) };
            case KrpcQueryKind.GetPeers:
                return response with
                {
                    Nodes = ClosestFor(query, from),
                    Values = store.Get(query.Target, options.MaxValuesPerResponse, now),
                    Token = tokens.Create(from.Address),
                };
            case KrpcQueryKind.AnnouncePeer:
                if (!tokens.IsValid(query.Token.Span, from.Address))
                {
                    return Error(query, KrpcError.Protocol, "bad token") with { Requester = from };
                }

                store.Add(query.Target, new IPEndPoint(from.Address, query.ImpliedPort ? from.Port : query.Port), now);
                return response;
            default:
                return Error(query, KrpcError.MethodUnknown, "Method Unknown");
        }
    }

    private KrpcError Error(KrpcQuery query, int code, string message) =>
        new() { TransactionId = query.TransactionId, Code = code, Message = message, Version = options.Version };

    // BEP 32: without "want", answer with nodes of the family the query arrived over.
    private List<NodeInfo> ClosestFor(KrpcQuery query, IPEndPoint from)
    {
        NodeFamilies want = query.Want != NodeFamilies.None ? query.Want
            : from.AddressFamily == AddressFamily.InterNetwork ? NodeFamilies.IPv4 : NodeFamilies.IPv6;
        var nodes = new List<NodeInfo>();
        foreach (NodeFamilies family in new[] { NodeFamilies.IPv4, NodeFamilies.IPv6 }.Where(f => want.HasFlag(f)))
        {
            nodes.AddRange(table.Closest(query.Target, RoutingTable.Capacity)
                .Where(n => FamilyOf(n) == family)
                .Take(KBucket.K));
        }

        return nodes;
    }

    private static NodeFamilies FamilyOf(NodeInfo node) =>
        IPv4Mapping.FamilyOf(node.EndPoint.Address) == AddressFamily.InterNetwork ? NodeFamilies.IPv4 : NodeFamilies.IPv6;
}
