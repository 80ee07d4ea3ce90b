using System.Net;
using Shoal.Cli.Doctor;
using Shoal.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Node.Tests.Cli;

/// <summary>What `shoal doctor` concludes from what it found: a person reads whether peers reach them and what to fix.</summary>
public sealed class DoctorReportTests
{
    private static readonly IPAddress Router = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Home = IPAddress.Parse("192.168.1.10");

    [Fact]
    public void A_home_whose_router_mapped_both_ports_is_reachable_at_the_routers_address()
    {
        DoctorFacts facts = Facts(
            [Mapped(MappingProtocol.Tcp), Mapped(MappingProtocol.Udp)],
            external: Router,
            ExternalAddressSource.Gateway,
            dht: new DoctorDhtFacts(42, ["router.bittorrent.com:6881"], true));

        IReadOnlyList<DoctorFinding> findings = DoctorReport.Of(facts);

        Assert.DoesNotContain(findings, f => f.Level != DoctorLevel.Ok);
        Assert.Contains(findings, f => f.Topic == "router" && f.Text.StartsWith("TCP 6881 and UDP 6881 mapped on the router by NAT-PMP as 203.0.113.7:6881", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Topic == "verdict" && f.Text.StartsWith("peers on the internet can connect to you at 203.0.113.7:6881", StringComparison.Ordinal));
    }

    [Fact]
    public void A_router_that_maps_nothing_is_a_problem_with_the_port_to_forward_by_hand()
    {
        DoctorFacts facts = Facts(
            [Failed(MappingProtocol.Tcp), Failed(MappingProtocol.Udp)],
            external: Router,
            ExternalAddressSource.Dht,
            dht: new DoctorDhtFacts(12, [], null));

        IReadOnlyList<DoctorFinding> findings = DoctorReport.Of(facts);

        DoctorFinding router = Assert.Single(findings, f => f.Topic == "router");
        Assert.Equal(DoctorLevel.Problem, router.Level);
        Assert.Contains("no router answered UPnP IGD, PCP or NAT-PMP", router.Text, StringComparison.Ordinal);
        Assert.Contains("forward TCP and UDP port 6881 to 192.168.1.10 on your router by hand", router.Advice, StringComparison.Ordinal);
        Assert.Equal(DoctorLevel.Warning, Assert.Single(findings, f => f.Topic == "verdict").Level);
        Assert.Contains(findings, f => f.Topic == "address" && f.Level == DoctorLevel.Ok && f.Text == "external address 203.0.113.7, as DHT nodes see it");
    }

    [Fact]
    public void A_router_whose_own_address_is_private_sits_behind_another_NAT()
    {
        IPAddress carrier = IPAddress.Parse("100.64.3.9");
        DoctorFacts facts = Facts([Mapped(MappingProtocol.Tcp)], external: carrier, ExternalAddressSource.Gateway, dht: null);

        IReadOnlyList<DoctorFinding> findings = DoctorReport.Of(facts);

        DoctorFinding address = Assert.Single(findings, f => f.Topic == "address");
        Assert.Equal(DoctorLevel.Problem, address.Level);
        Assert.Contains("carrier-grade NAT", address.Text, StringComparison.Ordinal);
        Assert.Null(DoctorReport.ReachableAt(facts));
        Assert.Contains(findings, f => f.Topic == "dht" && f.Level == DoctorLevel.Warning && f.Text.StartsWith("the DHT is off", StringComparison.Ordinal));
    }

    [Fact]
    public void A_taken_port_and_an_empty_DHT_say_what_to_change()
    {
        DoctorFacts facts = Facts([Mapped(MappingProtocol.Tcp, internalPort: 6882)], external: Router, ExternalAddressSource.Gateway, dht: new DoctorDhtFacts(0, ["192.0.2.1:6881: no answer"], null)) with
        {
            TcpPort = 6882,
            UdpPort = 6882,
        };

        IReadOnlyList<DoctorFinding> findings = DoctorReport.Of(facts);

        DoctorFinding taken = Assert.Single(findings, f => f.Topic == "ports" && f.Level == DoctorLevel.Warning);
        Assert.Equal("port 6881 is taken by another program, so 6882 was used instead", taken.Text);
        DoctorFinding dht = Assert.Single(findings, f => f.Topic == "dht");
        Assert.Equal(DoctorLevel.Problem, dht.Level);
        Assert.Equal("no DHT node answered: 192.0.2.1:6881: no answer", dht.Text);
        Assert.Contains("UDP port 6882", dht.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void A_machine_with_a_public_address_and_no_router_is_reachable_on_its_own_port()
    {
        DoctorFacts facts = Facts([NoGateway(MappingProtocol.Tcp), NoGateway(MappingProtocol.Udp)], external: null, null, dht: new DoctorDhtFacts(30, [], null)) with
        {
            LocalAddress = IPAddress.Parse("20.1.2.3"),
        };

        IReadOnlyList<DoctorFinding> findings = DoctorReport.Of(facts);

        Assert.Contains(findings, f => f.Topic == "router" && f.Level == DoctorLevel.Ok && f.Text.Contains("nothing to map, this machine's own address 20.1.2.3 is public", StringComparison.Ordinal));
        Assert.StartsWith("peers on the internet can connect to you at 20.1.2.3:6881", Assert.Single(findings, f => f.Topic == "verdict").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shoal_built_without_the_processors_AVX512_lanes_is_told_to_build_for_this_machine()
    {
        DoctorFacts facts = Facts([Mapped(MappingProtocol.Tcp)], external: Router, ExternalAddressSource.Gateway, dht: null, new DoctorHashingFacts(InLanes: false, ProcessorHasLanes: true));

        DoctorFinding hashing = Assert.Single(DoctorReport.Of(facts), f => f.Topic == "hashing");

        Assert.Equal(DoctorLevel.Warning, hashing.Level);
        Assert.StartsWith("this processor has AVX-512 but this shoal was built without it", hashing.Text, StringComparison.Ordinal);
        Assert.Contains("`./shoal` in the source tree, with gcc installed", hashing.Advice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, true, "content is hashed sixteen pieces or blocks at a time in AVX-512 lanes")]
    [InlineData(false, false, "content is hashed one piece at a time: this processor has no AVX-512 lanes")]
    public void Hashing_that_uses_what_the_processor_has_is_fine(bool inLanes, bool processorHasLanes, string text)
    {
        DoctorFacts facts = Facts([Mapped(MappingProtocol.Tcp)], external: Router, ExternalAddressSource.Gateway, dht: null, new DoctorHashingFacts(inLanes, processorHasLanes));

        DoctorFinding hashing = Assert.Single(DoctorReport.Of(facts), f => f.Topic == "hashing");

        Assert.Equal(DoctorLevel.Ok, hashing.Level);
        Assert.Equal(text, hashing.Text);
    }

    private static DoctorFacts Facts(IReadOnlyList<PortMappingStatus> mappings, IPAddress? external, ExternalAddressSource? source, DoctorDhtFacts? dht, DoctorHashingFacts? hashing = null) =>
        new("a test", 6881, 6881, 6881, mappings, external, source, Home, dht, hashing ?? new DoctorHashingFacts(InLanes: true, ProcessorHasLanes: true));

    private static PortMappingStatus Mapped(MappingProtocol protocol, int internalPort = 6881) =>
        new(protocol, internalPort, PortMappingState.Mapped, "NAT-PMP", 6881, DateTimeOffset.MaxValue, null);

    private static PortMappingStatus Failed(MappingProtocol protocol) =>
        new(protocol, 6881, PortMappingState.Failed, null, null, null, "no router answered UPnP IGD, PCP or NAT-PMP");

    private static PortMappingStatus NoGateway(MappingProtocol protocol) =>
        new(protocol, 6881, PortMappingState.NoGateway, null, null, null, "no default gateway");
}
