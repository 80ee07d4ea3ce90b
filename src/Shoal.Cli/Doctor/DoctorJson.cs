using Shoal.Node.Api;

namespace Shoal.Cli.Doctor;

/// <summary>What `shoal doctor --json` prints: the facts with addresses as text, and each finding.</summary>
public static class DoctorJson
{
    public static object Facts(DoctorFacts facts) => new
    {
        source = facts.Source,
        requestedPort = facts.RequestedPort,
        tcpPort = facts.TcpPort,
        udpPort = facts.UdpPort,
        mappings = facts.Mappings.Select(MappingView.From),
        externalAddress = facts.ExternalAddress?.ToString(),
        externalAddressSource = facts.ExternalAddressSource?.ToString().ToLowerInvariant(),
        localAddress = facts.LocalAddress?.ToString(),
        reachableAt = DoctorReport.ReachableAt(facts)?.ToString(),
        dht = facts.Dht,
    };

    public static object Finding(DoctorFinding finding) => new
    {
        topic = finding.Topic,
        level = finding.Level.ToString().ToLowerInvariant(),
        text = finding.Text,
        advice = finding.Advice,
    };
}
