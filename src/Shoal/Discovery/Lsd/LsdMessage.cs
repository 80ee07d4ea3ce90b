using Shoal.Metainfo;

namespace Shoal.Discovery.Lsd;

/// <summary>
/// A local service discovery announce (BEP 14): the sender listens for BitTorrent connections on
/// <paramref name="Port"/> and takes part in the swarms of <paramref name="InfoHashes"/> (20-byte hashes).
/// </summary>
/// <param name="Host">The multicast group the announce was sent to, as <c>239.192.152.143:6771</c> or <c>[ff15::efc0:988f]:6771</c>; null when absent.</param>
/// <param name="Port">The sender's BitTorrent listen port.</param>
/// <param name="InfoHashes">One or more info-hashes, without duplicates.</param>
/// <param name="Cookie">An opaque value by which a sender recognises its own announces; null when absent.</param>
public sealed record LsdMessage(string? Host, int Port, IReadOnlyList<InfoHash> InfoHashes, string? Cookie)
{
    public bool Equals(LsdMessage? other) =>
        other is not null
        && Host == other.Host
        && Port == other.Port
        && Cookie == other.Cookie
        && InfoHashes.SequenceEqual(other.InfoHashes);

    public override int GetHashCode() => HashCode.Combine(Host, Port, Cookie, InfoHashes.Count);
}
