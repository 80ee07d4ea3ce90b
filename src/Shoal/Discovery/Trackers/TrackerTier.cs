using Shoal.Metainfo;

namespace Shoal.Discovery.Trackers;

/// <summary>
/// One BEP 12 tier of a torrent's trackers, shuffled once when it is built. An announce tries its
/// trackers in order and stops at the first that answers without a <c>failure reason</c>, which moves to
/// the front of the tier so that it is tried first next time.
/// </summary>
public sealed class TrackerTier
{
    private readonly Lock _lock = new();
    private readonly List<ITrackerClient> _trackers;

    internal TrackerTier(IEnumerable<ITrackerClient> trackers)
    {
        _trackers = [.. trackers];
    }

    /// <summary>The trackers' URLs in the order they are tried now.</summary>
    public IReadOnlyList<Uri> Urls
    {
        get
        {
            lock (_lock)
            {
                return [.. _trackers.Select(client => client.Url)];
            }
        }
    }

    /// <summary>
    /// Announces to the trackers in order until one answers (BEP 12) and returns what each tracker tried
    /// said: when one answered it is the last. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<IReadOnlyList<TrackerAnnounceResult>> AnnounceAsync(AnnounceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var results = new List<TrackerAnnounceResult>();
        foreach (ITrackerClient client in Snapshot())
        {
            ct.ThrowIfCancellationRequested();
            TrackerAnnounceResult result = await AnnounceToAsync(client, request, ct).ConfigureAwait(false);
            results.Add(result);
            if (result.Response is not null)
            {
                Promote(client);
                break;
            }
        }

        return results;
    }

    /// <summary>Scrapes the torrent at the tracker tried first (BEP 48, BEP 15).</summary>
    public async Task<TrackerScrapeResult> ScrapeAsync(InfoHash infoHash, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(infoHash);
        ITrackerClient client = Snapshot()[0];
        try
        {
            ScrapeResponse response = await client.ScrapeAsync([infoHash], ct).ConfigureAwait(false);
            if (response.FailureReason is { } reason)
            {
                return new TrackerScrapeResult(client.Url, null, TrackerAnnounceResult.FailureReasonPrefix + reason);
            }

            return response.Files.TryGetValue(infoHash.Truncated, out ScrapeStats? stats)
                ? new TrackerScrapeResult(client.Url, stats, null)
                : new TrackerScrapeResult(client.Url, null, "the tracker does not know the torrent");
        }
        catch (TrackerException e)
        {
            return new TrackerScrapeResult(client.Url, null, WithoutUrl(client, e));
        }
    }

    private static async Task<TrackerAnnounceResult> AnnounceToAsync(ITrackerClient client, AnnounceRequest request, CancellationToken ct)
    {
        try
        {
            AnnounceResponse response = await client.AnnounceAsync(request, ct).ConfigureAwait(false);
            return response.FailureReason is { } reason
                ? new TrackerAnnounceResult(client.Url, null, TrackerAnnounceResult.FailureReasonPrefix + reason)
                : new TrackerAnnounceResult(client.Url, response, null);
        }
        catch (TrackerException e)
        {
            return new TrackerAnnounceResult(client.Url, null, WithoutUrl(client, e));
        }
    }

    /// <summary>The clients name their URL in their messages; the result carries it already.</summary>
    private static string WithoutUrl(ITrackerClient client, TrackerException e)
    {
        string prefix = $"{client.Url}: ";
        return e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
    }

    private ITrackerClient[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _trackers];
        }
    }

    private void Promote(ITrackerClient client)
    {
        lock (_lock)
        {
            if (_trackers.Remove(client))
            {
                _trackers.Insert(0, client);
            }
        }
    }
}
