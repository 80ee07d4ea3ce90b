namespace Shoal.Swarm;

/// <summary>
/// Payload received from each peer id over connections that have closed, for <see cref="SwarmStatus.DownloadedByPeerId"/>:
/// peers that gave nothing are not kept, and at most <see cref="MaxPeers"/> that did, the one that gave least giving way,
/// since a torrent sees peers come and go without end.
/// </summary>
internal sealed class ClosedPeerTotals
{
    public const int MaxPeers = 1000;

    private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);

    public void Add(ReadOnlySpan<byte> peerId, long downloaded)
    {
        if (downloaded <= 0)
        {
            return;
        }

        string key = PeerIdText.Format(peerId);
        if (_totals.TryGetValue(key, out long earlier))
        {
            _totals[key] = earlier + downloaded;
            return;
        }

        if (_totals.Count >= MaxPeers)
        {
            KeyValuePair<string, long> least = _totals.MinBy(total => total.Value);
            if (least.Value >= downloaded)
            {
                return;
            }

            _totals.Remove(least.Key);
        }

        _totals[key] = downloaded;
    }

    public Dictionary<string, long> Copy() => new(_totals, StringComparer.Ordinal);
}
