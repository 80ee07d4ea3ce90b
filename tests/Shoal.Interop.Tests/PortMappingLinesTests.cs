using System.Net;
using Shoal.Cli;
using Shoal.Net;
using Shoal.Net.PortMapping;
using Shoal.Session;

namespace Shoal.Interop.Tests;

/// <summary>The lines <c>shoal share</c> and <c>shoal get</c> print about the router (standard error), each once; the lab's tests read them.</summary>
public sealed class PortMappingLinesTests
{
    private static readonly DateTimeOffset Expires = new(2026, 1, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Both_ports_mapped_alike_make_one_line_shown_once()
    {
        var lines = new PortMappingLines();
        ReachabilityStatus mapping = Status(IPAddress.Parse("203.0.113.7"), Mapped(MappingProtocol.Tcp, 6881), Mapping(MappingProtocol.Udp, PortMappingState.Mapping));
        ReachabilityStatus mapped = Status(IPAddress.Parse("203.0.113.7"), Mapped(MappingProtocol.Tcp, 6881), Mapped(MappingProtocol.Udp, 6881));

        Assert.Empty(lines.Next(mapping));
        Assert.Equal(["port 6881 mapped on the router by NAT-PMP: 203.0.113.7:6881 (TCP and UDP)"], lines.Next(mapped));
        Assert.Empty(lines.Next(mapped with { Mappings = [.. mapped.Mappings.Select(m => m with { Expires = Expires.AddHours(1) })] }));
    }

    [Fact]
    public void Ports_mapped_differently_or_without_a_known_address_have_a_line_each()
    {
        var lines = new PortMappingLines();

        Assert.Equal(
            ["port 6881 mapped on the router by PCP: external port 7000 (TCP)", "port 6881 mapped on the router by PCP: external port 7001 (UDP)"],
            lines.Next(Status(null, Mapped(MappingProtocol.Tcp, 7000, "PCP"), Mapped(MappingProtocol.Udp, 7001, "PCP"))));
    }

    [Fact]
    public void A_failure_is_shown_once_per_reason()
    {
        var lines = new PortMappingLines();
        string why = "the router at 192.168.1.1 mapped no port: PCP: the gateway did not answer in 3.75 s";
        ReachabilityStatus failed = Status(null, Failed(MappingProtocol.Tcp, why), Failed(MappingProtocol.Udp, why));

        Assert.Equal([$"port 6881 not mapped on the router (TCP and UDP): {why}"], lines.Next(failed));
        Assert.Empty(lines.Next(failed));
        Assert.Equal(
            ["port 6881 not mapped on the router (TCP): no default IPv4 gateway (router) to ask"],
            lines.Next(failed with { Mappings = [Failed(MappingProtocol.Tcp, "no default IPv4 gateway (router) to ask", PortMappingState.NoGateway), failed.Mappings[1]] }));
    }

    private static ReachabilityStatus Status(IPAddress? external, params PortMappingStatus[] mappings) =>
        new(6881, 6881, mappings, external, external is null ? null : ExternalAddressSource.Gateway);

    private static PortMappingStatus Mapping(MappingProtocol protocol, PortMappingState state) => new(protocol, 6881, state, null, null, null, null);

    private static PortMappingStatus Mapped(MappingProtocol protocol, int external, string method = "NAT-PMP") =>
        new(protocol, 6881, PortMappingState.Mapped, method, external, Expires, null);

    private static PortMappingStatus Failed(MappingProtocol protocol, string error, PortMappingState state = PortMappingState.Failed) =>
        new(protocol, 6881, state, null, null, null, error);
}
