using System.Globalization;
using System.Net;
using Shoal.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Cli.Doctor;

/// <summary>
/// Turns what the doctor found into findings a person can act on: the listening ports, each port's mapping on the
/// router, the external address, the DHT, a verdict on whether peers outside can connect to us, and how content is hashed.
/// </summary>
public static class DoctorReport
{
    public static IReadOnlyList<DoctorFinding> Of(DoctorFacts facts)
    {
        var findings = new List<DoctorFinding>();
        findings.AddRange(Ports(facts));
        findings.AddRange(Router(facts));
        findings.Add(External(facts));
        findings.AddRange(Dht(facts));
        findings.Add(Verdict(facts));
        findings.Add(Hashing(facts.Hashing));
        return findings;
    }

    /// <summary>Where peers outside can dial us (the router's address and mapped port, or our own public ones), or null.</summary>
    public static IPEndPoint? ReachableAt(DoctorFacts facts)
    {
        PortMappingStatus? mapped = facts.Mappings.FirstOrDefault(m => m.State == PortMappingState.Mapped && m.Protocol == MappingProtocol.Tcp)
            ?? facts.Mappings.FirstOrDefault(m => m.State == PortMappingState.Mapped);
        if (mapped?.ExternalPort is int port && facts.ExternalAddress is { } external && ExternalAddressVotes.IsPublic(external))
        {
            return new IPEndPoint(external, port);
        }

        // No router in the way: the machine's own address is public.
        return facts.LocalAddress is { } local && ExternalAddressVotes.IsPublic(local) && (facts.TcpPort != 0 || facts.UdpPort != 0)
            ? new IPEndPoint(local, facts.TcpPort != 0 ? facts.TcpPort : facts.UdpPort)
            : null;
    }

    private static IEnumerable<DoctorFinding> Ports(DoctorFacts facts)
    {
        int port = facts.TcpPort != 0 ? facts.TcpPort : facts.UdpPort;
        if (facts.RequestedPort != 0 && port != 0 && port != facts.RequestedPort)
        {
            yield return new DoctorFinding(
                "ports",
                DoctorLevel.Warning,
                $"port {facts.RequestedPort} is taken by another program, so {port} was used instead",
                $"stop the other program (another BitTorrent client, or a shoal node: `shoal doctor --node` asks it), or set Net:Port to a port of its own, so the router's mapping and what peers remember of you stay valid");
        }

        yield return facts.TcpPort != 0
            ? new DoctorFinding("ports", DoctorLevel.Ok, $"TCP port {facts.TcpPort} is open for peers")
            : new DoctorFinding("ports", DoctorLevel.Warning, "TCP is off (setting Net:Tcp): peers that speak only TCP cannot connect to you", "set Net:Tcp=true");
        yield return facts.UdpPort != 0
            ? new DoctorFinding("ports", DoctorLevel.Ok, $"UDP port {facts.UdpPort} is open for uTP and the DHT")
            : new DoctorFinding("ports", DoctorLevel.Problem, "no UDP port: uTP, the DHT and hole punching are off", "free UDP port " + (facts.RequestedPort != 0 ? facts.RequestedPort : port).ToString(CultureInfo.InvariantCulture) + ", or turn uTP and the DHT on (Net:Utp, Dht:Enabled)");
    }

    private static IEnumerable<DoctorFinding> Router(DoctorFacts facts)
    {
        string forward = ForwardByHand(facts);
        foreach (var group in facts.Mappings.GroupBy(m => (m.State, m.Method, m.ExternalPort, m.Error)))
        {
            PortMappingStatus first = group.First();
            string ports = string.Join(" and ", group.Select(m => $"{m.Protocol.ToString().ToUpperInvariant()} {m.InternalPort.ToString(CultureInfo.InvariantCulture)}"));
            yield return first.State switch
            {
                PortMappingState.Mapped => new DoctorFinding(
                    "router",
                    DoctorLevel.Ok,
                    $"{ports} mapped on the router by {first.Method} as {Where(facts.ExternalAddress, first.ExternalPort)}{Until(first.Expires)}"),
                PortMappingState.Mapping => new DoctorFinding(
                    "router", DoctorLevel.Warning, $"{ports}: the router has not answered yet", "run `shoal doctor --wait 30` to give it longer"),
                PortMappingState.Off or PortMappingState.NoGateway when facts.LocalAddress is { } local && ExternalAddressVotes.IsPublic(local) => new DoctorFinding(
                    "router", DoctorLevel.Ok, $"{ports}: nothing to map, this machine's own address {local} is public"),
                PortMappingState.Off => new DoctorFinding(
                    "router", DoctorLevel.Warning, $"{ports}: port mapping is off (setting Net:PortMapping)", $"set Net:PortMapping=true, or {forward}"),
                _ => new DoctorFinding(
                    "router",
                    DoctorLevel.Problem,
                    $"{ports} not mapped on the router: {first.Error ?? "no router answered"}",
                    $"turn on UPnP or NAT-PMP in your router's settings, or {forward}; until then peers outside cannot connect to you " +
                    "(you still connect to them, and peers behind routers can reach you by hole punching through a peer you both know)"),
            };
        }
    }

    private static DoctorFinding External(DoctorFacts facts)
    {
        if (facts.ExternalAddress is not { } address)
        {
            return new DoctorFinding(
                "address",
                DoctorLevel.Warning,
                "external address unknown: neither the router, trackers, peers nor DHT nodes have told us yet",
                "it is learnt from DHT nodes (give them longer: --wait 30), trackers and peers; `shoal doctor --data DIR` asks a running node, which has met them");
        }

        string said = facts.ExternalAddressSource switch
        {
            ExternalAddressSource.Gateway => "as the router reports it",
            ExternalAddressSource.Tracker => "as trackers see it",
            ExternalAddressSource.Peers => "as peers see it",
            ExternalAddressSource.Dht => "as DHT nodes see it",
            _ => "",
        };
        return ExternalAddressVotes.IsPublic(address)
            ? new DoctorFinding("address", DoctorLevel.Ok, $"external address {address}, {said}")
            : new DoctorFinding(
                "address",
                DoctorLevel.Problem,
                $"external address {address} ({said}) is private: your router is itself behind another router or your provider's carrier-grade NAT, so a mapping on it does not reach the internet",
                "ask your provider for a public address, or map the port on the outer router too; hole punching still reaches peers behind routers");
    }

    private static IEnumerable<DoctorFinding> Dht(DoctorFacts facts)
    {
        if (facts.Dht is not { } dht)
        {
            yield return new DoctorFinding("dht", DoctorLevel.Warning, "the DHT is off (setting Dht:Enabled): magnets and bare info-hashes find peers only through trackers and local discovery", "set Dht:Enabled=true");
            yield break;
        }

        if (dht.Nodes == 0)
        {
            string from = dht.Bootstrap.Count == 0 ? "no bootstrap nodes are set (Dht:Bootstrap) and no saved table or peer named one" : string.Join("; ", dht.Bootstrap);
            yield return new DoctorFinding(
                "dht",
                DoctorLevel.Problem,
                $"no DHT node answered: {from}",
                $"check that a firewall lets UDP port {facts.UdpPort.ToString(CultureInfo.InvariantCulture)} out and its answers back in, and that Dht:Bootstrap names nodes that exist");
            yield break;
        }

        yield return new DoctorFinding("dht", DoctorLevel.Ok, $"{dht.Nodes} node(s) in the DHT routing table");
        if (dht.IdFitsExternalAddress == false)
        {
            yield return new DoctorFinding(
                "dht",
                DoctorLevel.Warning,
                $"the DHT node id does not fit the external address {facts.ExternalAddress} (BEP 42), so some nodes will not keep us in their tables",
                "it is chosen again once enough nodes agree on the address; nothing to do unless it stays");
        }
    }

    private static DoctorFinding Verdict(DoctorFacts facts) => ReachableAt(facts) is { } at
        ? new DoctorFinding("verdict", DoctorLevel.Ok, $"peers on the internet can connect to you at {at}, unless a firewall on the way drops them")
        : new DoctorFinding(
            "verdict",
            DoctorLevel.Warning,
            "peers on the internet cannot connect to you: you connect to them, and hole punching reaches peers behind other routers, but you find fewer peers and seed less",
            ForwardByHand(facts));

    private static DoctorFinding Hashing(DoctorHashingFacts hashing) => (hashing.InLanes, hashing.ProcessorHasLanes) switch
    {
        (true, _) => new DoctorFinding("hashing", DoctorLevel.Ok, "content is hashed sixteen pieces or blocks at a time in AVX-512 lanes"),
        (false, true) => new DoctorFinding(
            "hashing",
            DoctorLevel.Warning,
            "this processor has AVX-512 but this shoal was built without it: content is hashed one piece at a time, two to three times slower (creating torrents, checking data, verifying what is downloaded)",
            "build shoal for this machine: `./shoal` in the source tree, with gcc installed, compiles it for this processor"),
        _ => new DoctorFinding("hashing", DoctorLevel.Ok, "content is hashed one piece at a time: this processor has no AVX-512 lanes"),
    };

    private static string ForwardByHand(DoctorFacts facts)
    {
        int port = facts.TcpPort != 0 ? facts.TcpPort : facts.UdpPort;
        string to = facts.LocalAddress is { } local ? $" to {local}" : " to this machine";
        return $"forward TCP and UDP port {port.ToString(CultureInfo.InvariantCulture)}{to} on your router by hand";
    }

    private static string Where(IPAddress? external, int? port) =>
        external is null ? $"external port {port}" : new IPEndPoint(external, port ?? 0).ToString();

    private static string Until(DateTimeOffset? expires) =>
        expires is { } at && at != DateTimeOffset.MaxValue ? $" (lease renewed before {at.ToLocalTime():HH:mm})" : "";
}
