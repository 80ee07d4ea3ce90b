namespace Shoal.Discovery.Trackers;

/// <summary>
/// The trackers of a torrent in BEP 12 tiers (<c>announce-list</c>), each tier shuffled once. Every tier
/// is announced to on its own, as uTorrent and libtorrent do, so that a torrent is known to all the
/// trackers it names and not only to the first that answers. URLs that do not parse or whose scheme the
/// factory does not support are left out, and so are tiers left empty.
/// </summary>
public sealed class TrackerTiers
{
    /// <summary>
    /// Builds the tiers. <paramref name="factory"/> makes the client of a URL, or returns
    /// <see langword="null"/> for a scheme it does not support; <paramref name="random"/> shuffles
    /// each tier (BEP 12), <see cref="Random.Shared"/> when not given. A URL repeated in the torrent is
    /// kept once, where it first appears.
    /// </summary>
    public TrackerTiers(IReadOnlyList<IReadOnlyList<string>> tiers, Func<Uri, ITrackerClient?> factory, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        ArgumentNullException.ThrowIfNull(factory);
        random ??= Random.Shared;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var built = new List<TrackerTier>();
        foreach (IReadOnlyList<string> tier in tiers)
        {
            var clients = new List<ITrackerClient>();
            foreach (string url in tier)
            {
                if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out Uri? uri) && seen.Add(uri.AbsoluteUri) && factory(uri) is { } client)
                {
                    clients.Add(client);
                }
            }

            if (clients.Count > 0)
            {
                ITrackerClient[] shuffled = [.. clients];
                random.Shuffle(shuffled);
                built.Add(new TrackerTier(shuffled));
            }
        }

        Tiers = built;
    }

    public IReadOnlyList<TrackerTier> Tiers { get; }

    /// <summary>How many trackers there are in all tiers.</summary>
    public int Count => Tiers.Sum(tier => tier.Urls.Count);
}
