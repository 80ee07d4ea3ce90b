using Shoal.Discovery.Dht;

namespace Shoal.Cli.Commands;

/// <summary>What `shoal dht --json` prints: the node, its routing table and store, and what became of each bootstrap host.</summary>
public sealed record DhtSummary(
    string Id,
    int Port,
    int RoutingTable,
    int GoodNodes,
    int StoredPeers,
    int StoredInfoHashes,
    string? ExternalAddress,
    bool? IdConforms,
    IReadOnlyList<DhtSummary.BootstrapHost> Bootstrap)
{
    public static DhtSummary Of(DhtState state, int port)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(
            state.Id.ToString(),
            port,
            state.RoutingTableSize,
            state.GoodNodes,
            state.StoredPeers,
            state.StoredInfoHashes,
            state.ExternalAddress?.ToString(),
            state.IdConforms,
            [.. state.BootstrapHosts.Select(h => new BootstrapHost(h.Name, [.. h.Addresses.Select(a => a.ToString())], h.Answered, h.Error))]);
    }

    public sealed record BootstrapHost(string Name, IReadOnlyList<string> Addresses, bool Answered, string? Error);
}
