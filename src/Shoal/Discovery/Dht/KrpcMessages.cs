using System.Net;

namespace Shoal.Discovery.Dht;

public enum KrpcQueryKind
{
    Unknown,
    Ping,
    FindNode,
    GetPeers,
    AnnouncePeer,
}

/// <summary>One KRPC message (BEP 5). Byte fields of decoded messages share memory with the packet.</summary>
public abstract record KrpcMessage
{
    public required ReadOnlyMemory<byte> TransactionId { get; init; }

    /// <summary>The client version <c>v</c>; empty when absent.</summary>
    public ReadOnlyMemory<byte> Version { get; init; }

    /// <summary>BEP 43: the sender is read-only and must not be added to routing tables.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>BEP 42's top-level <c>ip</c>: in an answer, the address the answering node saw our query come from; null when absent.</summary>
    public IPEndPoint? Requester { get; init; }
}

public sealed record KrpcQuery : KrpcMessage
{
    public required KrpcQueryKind Kind { get; init; }

    public required NodeId Sender { get; init; }

    /// <summary><c>target</c> of find_node or <c>info_hash</c> of get_peers and announce_peer.</summary>
    public NodeId Target { get; init; }

    /// <summary>The announce_peer token.</summary>
    public ReadOnlyMemory<byte> Token { get; init; }

    public int Port { get; init; }

    /// <summary>BEP 5: use the UDP source port instead of <see cref="Port"/>.</summary>
    public bool ImpliedPort { get; init; }

    /// <summary>BEP 32 <c>want</c>; <see cref="NodeFamilies.None"/> when absent.</summary>
    public NodeFamilies Want { get; init; }
}

public sealed record KrpcResponse : KrpcMessage
{
    public required NodeId Sender { get; init; }

    /// <summary>IPv4 nodes from <c>nodes</c> and IPv6 nodes from <c>nodes6</c> (BEP 32).</summary>
    public IReadOnlyList<NodeInfo> Nodes { get; init; } = [];

    public IReadOnlyList<IPEndPoint> Values { get; init; } = [];

    public ReadOnlyMemory<byte> Token { get; init; }
}

public sealed record KrpcError : KrpcMessage
{
    public const int Generic = 201;
    public const int Protocol = 203;
    public const int MethodUnknown = 204;

    public required int Code { get; init; }

    public required string Message { get; init; }
}

[Flags]
public enum NodeFamilies
{
    None = 0,
    IPv4 = 1,
    IPv6 = 2,
}
