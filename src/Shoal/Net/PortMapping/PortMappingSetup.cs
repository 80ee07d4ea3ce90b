namespace Shoal.Net.PortMapping;

/// <summary>
/// Which gateway a <see cref="PortMapper"/> asks and how: the clients in the order they are tried, the first that maps a
/// port kept. Tests point them at a fake gateway on loopback.
/// </summary>
public sealed record PortMappingSetup
{
    /// <summary>RFC 6886 3.3's recommended lifetime: two hours, renewed after one.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(2);

    /// <summary>
    /// The machine's default gateway; UPnP IGD first (what most home routers speak), then PCP, then NAT-PMP (a NAT-PMP
    /// gateway answers PCP with version 0, RFC 6887 9).
    /// </summary>
    public static PortMappingSetup Default { get; } = new()
    {
        FindGateway = GatewayFinder.FindDefault,
        Clients =
        [
            (gateway, time) => new UpnpIgdClient(gateway.Address, gateway.InternalAddress, time),
            (gateway, time) => new PcpClient(gateway.PcpEndPoint, gateway.InternalAddress, time),
            (gateway, time) => new NatPmpClient(gateway.PcpEndPoint, gateway.InternalAddress, time),
        ],
    };

    /// <summary>The gateway to ask, or null when there is none.</summary>
    public required Func<Gateway?> FindGateway { get; init; }

    public required IReadOnlyList<PortMappingClientFactory> Clients { get; init; }

    public TimeSpan Lifetime { get; init; } = DefaultLifetime;
}
