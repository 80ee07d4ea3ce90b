using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Shoal.TrackerLoad;

/// <summary>
/// The announcing population, fixed by the seed: info-hash i is SHA-1(seed, i); peer j belongs to
/// swarm j mod hashes, has peer id "-SL0001-" followed by j in twelve digits, and a port that is
/// distinct within its swarm, because every peer comes from 127.0.0.1 and trackers tell peers
/// apart by address and port.
/// </summary>
internal sealed class Swarms
{
    private const int FirstPort = 1024;
    private const int PortCount = 65536 - FirstPort;

    private readonly byte[][] _hashes;

    public Swarms(int hashes, long peers, int seed)
    {
        if (peers / hashes >= PortCount)
        {
            throw new UsageException($"more than {PortCount} peers per swarm cannot have distinct ports");
        }
        _hashes = new byte[hashes][];
        Span<byte> input = stackalloc byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(input, seed);
        for (var i = 0; i < hashes; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(input[4..], i);
            _hashes[i] = SHA1.HashData(input);
        }
        Peers = peers;
    }

    public int HashCount => _hashes.Length;

    public long Peers { get; }

    public byte[] InfoHash(long peer) => _hashes[peer % _hashes.Length];

    public static ushort Port(long peer, int hashCount) => (ushort)(FirstPort + peer / hashCount % PortCount);

    public ushort Port(long peer) => Port(peer, _hashes.Length);

    /// <summary>One peer in five is a seeder.</summary>
    public static long Left(long peer) => peer % 5 == 0 ? 0 : 1_000_000;

    public static void WritePeerId(long peer, Span<byte> destination)
    {
        "-SL0001-"u8.CopyTo(destination);
        peer.TryFormat(destination[8..20], out _, "D12");
    }

    public IEnumerable<string> HexLines() => _hashes.Select(Convert.ToHexStringLower);

    public static string Describe(int hashes, long peers) =>
        $"{hashes} info-hashes, {peers} peers ({peers / hashes} per swarm)";
}
