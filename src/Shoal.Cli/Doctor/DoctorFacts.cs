using System.Net;
using Shoal.Net;
using Shoal.Net.PortMapping;
using Shoal.Node.Api;

namespace Shoal.Cli.Doctor;

/// <summary>
/// What <c>shoal doctor</c> found out, from a session of its own or from a running node (<paramref name="Source"/> says
/// which): the port asked for and the ports open (0 when not), each port's mapping on the router, our external
/// address and who said it, the machine's address towards its router (null without one), the DHT (null when off), and
/// how this shoal hashes content.
/// </summary>
public sealed record DoctorFacts(
    string Source,
    int RequestedPort,
    int TcpPort,
    int UdpPort,
    IReadOnlyList<PortMappingStatus> Mappings,
    IPAddress? ExternalAddress,
    ExternalAddressSource? ExternalAddressSource,
    IPAddress? LocalAddress,
    DoctorDhtFacts? Dht,
    DoctorHashingFacts Hashing);

/// <summary>
/// The DHT as the doctor saw it: nodes in the routing table, the bootstrap nodes it was given with what became of each,
/// and whether the node id fits our external address as BEP 42 asks (null while the address is unknown).
/// </summary>
public sealed record DoctorDhtFacts(int Nodes, IReadOnlyList<string> Bootstrap, bool? IdFitsExternalAddress)
{
    public static DoctorDhtFacts From(DhtReachabilityView view) => new(view.Nodes, view.Bootstrap, view.IdConforms);
}
