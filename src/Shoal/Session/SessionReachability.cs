using System.Net;
using Shoal.Net;
using Shoal.Net.PortMapping;
using Shoal.Primitives;

namespace Shoal.Session;

/// <summary>
/// The session's ports on the router (a <see cref="PortMapper"/> when <see cref="SessionOptions.PortMapping"/> is on)
/// and the votes on its external address, which trackers, peers and the gateway feed.
/// </summary>
internal sealed class SessionReachability : IAsyncDisposable
{
    private readonly int _tcpPort;
    private readonly int _udpPort;
    private readonly PortMapper? _mapper;

    public SessionReachability(SessionOptions options, int tcpPort, int udpPort)
    {
        _tcpPort = tcpPort;
        _udpPort = udpPort;
        if (options.PortMapping)
        {
            _mapper = new PortMapper(tcpPort, udpPort, options.ListenAddress, options.PortMappingSetup, Votes, options.Time);
            _mapper.Changed += () => Changed?.Invoke();
        }

        Votes.Changed += () => Changed?.Invoke();
    }

    /// <summary>Raised, off the caller's thread, when a mapping was asked for or the external address changed.</summary>
    public event Action? Changed;

    public ExternalAddressVotes Votes { get; } = new();

    public ReachabilityStatus Status
    {
        get
        {
            (System.Net.IPAddress Address, ExternalAddressSource Source)? external = Votes.Current;
            return new ReachabilityStatus(_tcpPort, _udpPort, Mappings, external?.Address, external?.Source);
        }
    }

    /// <summary>The port announces and the extension handshake give: the router's when it is mapped (asked every tick of every torrent, so without the votes).</summary>
    public int AnnouncePort => new ReachabilityStatus(_tcpPort, _udpPort, Mappings, null, null).AnnouncePort;

    /// <summary>The port PORT messages give (BEP 5): the router's UDP port when it is mapped.</summary>
    public int DhtPort => new ReachabilityStatus(_tcpPort, _udpPort, Mappings, null, null).DhtPort;

    private IReadOnlyList<PortMappingStatus> Mappings => _mapper?.Status ?? OffStatuses();

    /// <summary>
    /// Whether <paramref name="peer"/> is this session as the internet sees it: our external address at the port we
    /// announce. The DHT hands our own announce back to our lookups, and dialling it only reaches our own router.
    /// </summary>
    public bool IsOurselves(IPEndPoint peer) =>
        Votes.Current is { } external && peer.Port == AnnouncePort && IPv4Mapping.Unmap(peer.Address).Equals(external.Address);

    /// <summary>Starts mapping, once the ports are open.</summary>
    public void Start() => _mapper?.Start();

    public ValueTask DisposeAsync() => _mapper?.DisposeAsync() ?? ValueTask.CompletedTask;

    private PortMappingStatus[] OffStatuses() =>
    [
        .. new[] { (MappingProtocol.Tcp, _tcpPort), (MappingProtocol.Udp, _udpPort) }
            .Where(p => p.Item2 != 0)
            .Select(p => new PortMappingStatus(p.Item1, p.Item2, PortMappingState.Off, null, null, null, null)),
    ];
}
