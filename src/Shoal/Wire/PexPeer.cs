using System.Net;

namespace Shoal.Wire;

/// <summary>
/// A peer in a BEP 11 <c>added</c> list, with its <c>added.f</c> flags (0x01 prefers encryption, 0x02 seed, 0x04 supports
/// uTP, 0x08 supports ut_holepunch, 0x10 reachable).
/// </summary>
public readonly record struct PexPeer(IPEndPoint EndPoint, byte Flags)
{
    public const byte EncryptionFlag = 0x01;

    public const byte SeedFlag = 0x02;

    public const byte UtpFlag = 0x04;

    /// <summary>BEP 55: the peer takes ut_holepunch messages, so it can be the target of a rendezvous.</summary>
    public const byte HolepunchFlag = 0x08;
}
