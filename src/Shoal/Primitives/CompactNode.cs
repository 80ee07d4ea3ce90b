using System.Net;

namespace Shoal.Primitives;

/// <summary>A DHT node as compact node info carries it (BEP 5, BEP 32): its 160-bit id and UDP endpoint.</summary>
public readonly record struct CompactNode(UInt160 Id, IPEndPoint EndPoint);
