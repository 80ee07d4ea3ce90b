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

    /// <summary>A PEM certificate (and <see cref="TlsKeyFile"/>, its key) makes the API answer HTTPS only.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="TlsCertificateFile"/>; null when the certificate file holds it.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>Host names besides <c>localhost</c> and the listening address that the API answers to.</summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];

    /// <summary>The folders, and what is under them, that <c>{"share": PATH}</c> may share.</summary>
    public IReadOnlyList<string> ShareRoots { get; init; } = [Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)];

    /// <summary>Where <c>shoal login</c> keeps <c>login.json</c>, whose tracker login the Groups view uses; null for none.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>The one session's options; its resume data and DHT routing table go under <see cref="DataDirectory"/>.</summary>
    public SessionOptions Session { get; init; } = new();

    /// <summary>
    /// The DHT's options when the node's settings turn the DHT on although <see cref="Session"/> has none (the node was
    /// started without it): <c>shoal node</c> gives the bootstrap nodes of its settings; none by default.
    /// </summary>
    public SessionDhtOptions DhtWhenTurnedOn { get; init; } = new();
}
