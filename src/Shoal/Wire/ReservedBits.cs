namespace Shoal.Wire;

/// <summary>The eight reserved handshake bytes, and the feature bits Shoal reads and sets in them.</summary>
public readonly record struct ReservedBits(ulong Value)
{
    // Bits counted from the right of the 64-bit big-endian field.
    private const ulong Dht = 1UL << 0;              // BEP 5: reserved[7] |= 0x01
    private const ulong Fast = 1UL << 2;             // BEP 6: reserved[7] |= 0x04
    private const ulong V2Upgrade = 1UL << 4;        // BEP 52: reserved[7] |= 0x10
    private const ulong ExtensionProtocol = 1UL << 20; // BEP 10: reserved[5] |= 0x10

    public static ReservedBits Shoal { get; } = new(Fast | ExtensionProtocol | Dht);

    /// <summary>For a connection that only fetches metadata (BEP 9): without the fast bit, BEP 6 would oblige us to send have none first.</summary>
    public static ReservedBits MetadataOnly { get; } = new(ExtensionProtocol);

    public bool SupportsDht => (Value & Dht) != 0;

    public bool SupportsFastExtension => (Value & Fast) != 0;

    public bool SupportsExtensionProtocol => (Value & ExtensionProtocol) != 0;

    public bool SupportsV2 => (Value & V2Upgrade) != 0;

    /// <summary>BEP 5: the DHT bit says we run a node and want PORT messages; set only while we do.</summary>
    public ReservedBits WithDht(bool enabled) => new(enabled ? Value | Dht : Value & ~Dht);

    public ReservedBits WithV2(bool enabled) => new(enabled ? Value | V2Upgrade : Value & ~V2Upgrade);
}
