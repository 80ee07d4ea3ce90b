using System.Net;
using Shoal.Cli.NodeApi;
using Shoal.Net;
using Shoal.Net.PortMapping;
using Shoal.Node.Api;

namespace Shoal.Cli.Doctor;

/// <summary>The doctor's look at a running node: what its API says of its ports, router, external address and DHT.</summary>
public static class DoctorNode
{
    public static async Task<DoctorFacts> ReadAsync(NodeClient node, CancellationToken cancellationToken)
    {
        ReachabilityView view = await node.ReachabilityAsync(cancellationToken).ConfigureAwait(false);
        return new DoctorFacts(
            $"the node at {node.Url}",
            view.RequestedPort,
            view.TcpPort,
            view.UdpPort,
            [.. view.Mappings.Select(Mapping)],
            view.ExternalAddress is { } address ? IPAddress.Parse(address) : null,
            Enum.TryParse(view.ExternalAddressSource, ignoreCase: true, out ExternalAddressSource source) ? source : null,
            GatewayFinder.FindDefault()?.InternalAddress,
            view.Dht is { } dht ? DoctorDhtFacts.From(dht) : null,
            DoctorHashingFacts.OfThisProcess());
    }

    private static PortMappingStatus Mapping(MappingView view) => new(
        Enum.Parse<MappingProtocol>(view.Protocol, ignoreCase: true),
        view.InternalPort,
        Enum.Parse<PortMappingState>(view.State, ignoreCase: true),
        view.Method,
        view.ExternalPort,
        view.Expires,
        view.Error);
}
