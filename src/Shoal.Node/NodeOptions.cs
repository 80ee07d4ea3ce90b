using System.Net;
using Shoal.Session;

namespace Shoal.Node;

/// <summary>Where a node keeps its state, where its API listens, and how its session runs.</summary>
public sealed record NodeOptions
{
    public const int DefaultApiPort = 9180;

    /// <summary>Holds <c>node.db</c>, <c>api-token</c>, <c>api-endpoint</c>, the torrents' resume data and the DHT routing table.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where torrents are saved when an add names no save path.</summary>
    public required string DownloadDirectory { get; init; }

    /// <summary>Port 0 picks a free one.</summary>
    public IPEndPoint Api { get; init; } = new(IPAddress.Loopback, DefaultApiPort);

    /// <summary>Allows a non-loopback API address without TLS, where anyone on the path can read the token.</summary>
    public bool InsecureBind { get; init; }

    /// <summary>The one session's options; its resume data and DHT routing table go under <see cref="DataDirectory"/>.</summary>
    public SessionOptions Session { get; init; } = new();
}
