using Shoal.Node.Api;

namespace Shoal.Cli.Doctor;

/// <summary>What `shoal doctor --json` prints: the facts with addresses as text, and each finding.</summary>
public sealed record DoctorJson(DoctorJson.FactsView Facts, IReadOnlyList<DoctorJson.FindingView> Findings)
{
    public static DoctorJson Of(DoctorFacts facts, IEnumerable<DoctorFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new(FactsView.From(facts), [.. findings.Select(FindingView.From)]);
    }

    public sealed record FactsView(
        string Source,
        int RequestedPort,
        int TcpPort,
        int UdpPort,
        IReadOnlyList<MappingView> Mappings,
        string? ExternalAddress,
        string? ExternalAddressSource,
        string? LocalAddress,
        string? ReachableAt,
        DoctorDhtFacts? Dht,
        DoctorHashingFacts Hashing)
    {
        public static FactsView From(DoctorFacts facts) => new(
            facts.Source,
            facts.RequestedPort,
            facts.TcpPort,
            facts.UdpPort,
            [.. facts.Mappings.Select(MappingView.From)],
            facts.ExternalAddress?.ToString(),
            facts.ExternalAddressSource?.ToString().ToLowerInvariant(),
            facts.LocalAddress?.ToString(),
            DoctorReport.ReachableAt(facts)?.ToString(),
            facts.Dht,
            facts.Hashing);
    }

    public sealed record FindingView(string Topic, string Level, string Text, string? Advice)
    {
        public static FindingView From(DoctorFinding finding) => new(finding.Topic, finding.Level.ToString().ToLowerInvariant(), finding.Text, finding.Advice);
    }
}
