using Shoal.Net.PortMapping;
using Shoal.Session;

namespace Shoal.Cli;

/// <summary>
/// What a person reads about the router, each once: "port 6881 mapped on the router by NAT-PMP: 203.0.113.7:6881 (TCP and
/// UDP)" when a port is mapped (or mapped to another external port), and "port 6881 not mapped on the router (TCP and
/// UDP): WHY" when mapping fails for a new reason. TCP and UDP share a line when they share the outcome.
/// </summary>
public sealed class PortMappingLines
{
    private readonly Lock _lock = new();
    private readonly Dictionary<MappingProtocol, string> _shown = [];

    /// <summary>Shows the session's lines now, and the new ones whenever its reachability changes.</summary>
    public static void Follow(ShoalSession session, Action<string> show)
    {
        var lines = new PortMappingLines();
        session.ReachabilityChanged += () => ShowNew(lines, session.Reachability, show);
        ShowNew(lines, session.Reachability, show);
    }

    /// <summary>The lines for what changed since the last call; none while a port's first request is under way, so both ports' outcomes share a line.</summary>
    public IReadOnlyList<string> Next(ReachabilityStatus status)
    {
        if (status.Mappings.Any(m => m.State == PortMappingState.Mapping))
        {
            return [];
        }

        lock (_lock)
        {
            var news = new List<(MappingProtocol Protocol, string Text)>();
            foreach (PortMappingStatus mapping in status.Mappings)
            {
                if (Describe(mapping, status) is { } text && (!_shown.TryGetValue(mapping.Protocol, out string? shown) || shown != text))
                {
                    _shown[mapping.Protocol] = text;
                    news.Add((mapping.Protocol, text));
                }
            }

            return [.. news.GroupBy(n => n.Text).Select(g => g.Key.Replace("{protocols}", string.Join(" and ", g.Select(n => n.Protocol.ToString().ToUpperInvariant())), StringComparison.Ordinal))];
        }
    }

    private static void ShowNew(PortMappingLines lines, ReachabilityStatus status, Action<string> show)
    {
        foreach (string line in lines.Next(status))
        {
            show(line);
        }
    }

    private static string? Describe(PortMappingStatus mapping, ReachabilityStatus status) => mapping.State switch
    {
        PortMappingState.Mapped => status.ExternalAddress is { } address
            ? $"port {mapping.InternalPort} mapped on the router by {mapping.Method}: {address}:{mapping.ExternalPort} ({{protocols}})"
            : $"port {mapping.InternalPort} mapped on the router by {mapping.Method}: external port {mapping.ExternalPort} ({{protocols}})",
        PortMappingState.Failed or PortMappingState.NoGateway => $"port {mapping.InternalPort} not mapped on the router ({{protocols}}): {mapping.Error}",
        _ => null,
    };
}
