namespace Shoal.Discovery.Dht;

public sealed record DhtNodeOptions
{
    /// <summary>BEP 43: send <c>ro=1</c> and answer no queries.</summary>
    public bool ReadOnly { get; init; }

    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Lookup parallelism α (Kademlia).</summary>
    public int Alpha { get; init; } = 3;

    public int MaxPendingQueries { get; init; } = 512;

    public int QueriesPerSecondPerAddress { get; init; } = 50;

    public int MaxRateLimitedAddresses { get; init; } = 4096;

    public int MaxInfoHashes { get; init; } = 2000;

    public int MaxPeersPerInfoHash { get; init; } = 200;

    public int MaxStoredPeers { get; init; } = 20_000;

    /// <summary>Peers per get_peers answer, few enough that the packet stays under 1500 bytes even for IPv6.</summary>
    public int MaxValuesPerResponse { get; init; } = 32;

    public TimeSpan MaxBootstrapBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The client version <c>v</c> sent in every message.</summary>
    public ReadOnlyMemory<byte> Version { get; init; } = "SH01"u8.ToArray();
}
