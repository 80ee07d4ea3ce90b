using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Buffers;
using Shoal.Net;
using Shoal.Net.PortMapping;
using Shoal.Swarm;

namespace Shoal.Session;

/// <summary>How a session listens, limits and remembers.</summary>
public sealed record SessionOptions
{
    /// <summary>Where the peer listener binds; IPv6 "any" accepts IPv4 too.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.IPv6Any;

    /// <summary>0 picks a free port.</summary>
    public int ListenPort { get; init; }

    /// <summary>
    /// How many ports after <see cref="ListenPort"/> are tried, in order, when it is taken (TCP, or UDP for uTP and
    /// the DHT), before any free port; 0 makes a taken port an error. A warning names the port used instead.
    /// </summary>
    public int ListenPortFallback { get; init; }

    public int MaxConnections { get; init; } = 200;

    public int MaxConnectionsPerTorrent { get; init; } = 60;

    /// <summary>Connections one address may open to us, per torrent and in all (a host cannot take every slot).</summary>
    public int MaxConnectionsPerAddress { get; init; } = 4;

    /// <summary>Bytes per second for all torrents together; 0 is unlimited.</summary>
    public long UploadLimit { get; init; }

    public long DownloadLimit { get; init; }

    /// <summary>Folder for resume data; null keeps none.</summary>
    public string? StateDirectory { get; init; }

    public SwarmSettings Swarm { get; init; } = SwarmSettings.Default;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public BufferPool BufferPool { get; init; } = BufferPool.Shared;

    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The client for HTTP(S) trackers; the session makes (and disposes) its own when null.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The Mainline DHT on UDP at the listening port's number (BEP 5); off when null.</summary>
    public SessionDhtOptions? Dht { get; init; }

    /// <summary>Message Stream Encryption with peers: prefer (the default), require or disable.</summary>
    public EncryptionMode Encryption { get; init; } = EncryptionMode.Prefer;

    /// <summary>Peer connections over TCP, dialled and accepted.</summary>
    public bool Tcp { get; init; } = true;

    /// <summary>Peer connections over uTP (BEP 29) on UDP at the listening port's number, dialled and accepted.</summary>
    public bool Utp { get; init; } = true;

    /// <summary>Local service discovery by multicast on the local network (BEP 14).</summary>
    public bool LocalDiscovery { get; init; }

    /// <summary>
    /// Ask the home router to forward the listening ports (UPnP IGD, PCP, NAT-PMP). Off in the engine, so no test talks to
    /// a real router; <c>shoal</c> and the node turn it on (setting <c>Net:PortMapping</c>).
    /// </summary>
    public bool PortMapping { get; init; }

    /// <summary>The gateway port mapping asks and the protocols it tries, in order; tests point them at a fake gateway.</summary>
    public PortMappingSetup PortMappingSetup { get; init; } = PortMappingSetup.Default;

    /// <summary>Tests only: the uTP socket drops datagrams from endpoints it has not sent to, as a home router's filter does.</summary>
    internal bool UtpDropsUnsolicited { get; init; }

    /// <summary>How often resume data is saved while a torrent runs.</summary>
    public TimeSpan ResumeSaveInterval { get; init; } = TimeSpan.FromSeconds(30);
}
