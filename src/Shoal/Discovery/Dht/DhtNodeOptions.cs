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

    /// <summary>BEP 42: how many answering nodes must report the same external address before we take it (and change our id for it).</summary>
    public int ExternalAddressQuorum { get; init; } = 3;

    /// <summary>The answering nodes whose latest report of our address is kept; older ones are forgotten.</summary>
    public int MaxExternalAddressVoters { get; init; } = 64;

    /// <summary>The client version <c>v</c> sent in every message.</summary>
    public ReadOnlyMemory<byte> Version { get; init; } = "SH01"u8.ToArray();
}
