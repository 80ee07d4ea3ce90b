using System.Net;

namespace Shoal.Discovery.Dht;

/// <summary>A query awaiting its response: who it went to, what for, and until when.</summary>
internal sealed record PendingQuery(IPEndPoint To, NodeId? ExpectedId, KrpcQueryKind Kind, DateTimeOffset Deadline, DhtLookup? Lookup);
