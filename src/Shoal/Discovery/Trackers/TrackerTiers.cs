namespace Shoal.Discovery.Trackers;

/// <summary>
/// The trackers of a torrent in BEP 12 tiers (<c>announce-list</c>). Each tier is shuffled once; an
/// announce tries the trackers in order, tier after tier, and stops at the first that answers
/// without a <c>failure reason</c>, which moves to the front of its tier. URLs that do not parse or
/// whose scheme the factory does not support are left out.
/// </summary>
public sealed class TrackerTiers
{
    private readonly Lock _lock = new();
    private readonly List<List<ITrackerClient>> _tiers = [];

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
                _tiers.Add([.. shuffled]);
            }
        }
    }

    /// <summary>The trackers' URLs, tier by tier, in the order they are tried now.</summary>
    public IReadOnlyList<IReadOnlyList<Uri>> Tiers
    {
        get
        {
            lock (_lock)
            {
                return _tiers.Select(tier => (IReadOnlyList<Uri>)tier.Select(client => client.Url).ToArray()).ToArray();
            }
        }
    }

    /// <summary>How many trackers there are in all tiers.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _tiers.Sum(tier => tier.Count);
            }
        }
    }

    /// <summary>
    /// Announces to the trackers in order (BEP 12) and returns the first answer that is not a failure
    /// reason, with the URL that gave it; that tracker moves to the front of its tier. Throws
    /// <see cref="TrackerException"/> naming what each tracker said when none succeeded (or there are
    /// none), and <see cref="OperationCanceledException"/> when <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<TrackerAnnounceResult> AnnounceAsync(AnnounceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<ITrackerClient[]> snapshot;
        lock (_lock)
        {
            snapshot = _tiers.Select(tier => tier.ToArray()).ToList();
        }

        var failures = new List<string>();
        for (int t = 0; t < snapshot.Count; t++)
        {
            foreach (ITrackerClient client in snapshot[t])
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    AnnounceResponse response = await client.AnnounceAsync(request, ct).ConfigureAwait(false);
                    if (response.FailureReason is null)
                    {
                        Promote(t, client);
                        return new TrackerAnnounceResult(client.Url, response);
                    }

                    failures.Add($"{client.Url}: failure reason: {response.FailureReason}");
                }
                catch (TrackerException e)
                {
                    failures.Add(e.Message.StartsWith(client.Url.ToString(), StringComparison.Ordinal) ? e.Message : $"{client.Url}: {e.Message}");
                }
            }
        }

        throw new TrackerException(failures.Count == 0
            ? "no tracker to announce to"
            : $"no tracker answered: {string.Join("; ", failures)}");
    }

    /// <summary>Moves the tracker that answered to the front of its tier (BEP 12).</summary>
    private void Promote(int tier, ITrackerClient client)
    {
        lock (_lock)
        {
            List<ITrackerClient> trackers = _tiers[tier];
            if (trackers.Remove(client))
            {
                trackers.Insert(0, client);
            }
        }
    }
}
