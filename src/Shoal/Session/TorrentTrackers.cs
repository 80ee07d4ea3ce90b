using Microsoft.Extensions.Logging;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;
using Shoal.Net;

namespace Shoal.Session;

/// <summary>
/// Announces one torrent (or a magnet's info-hash while its metadata is fetched) to every tier of its trackers while it runs: each tier on its own
/// <see cref="AnnounceSchedule"/>, with at most one announce on its way; the peers they return go to the
/// torrent. Stopping cancels what is on its way and says <c>stopped</c> to each tier that heard
/// <c>started</c>, waiting at most <see cref="StopTimeout"/> for the answers.
/// </summary>
internal sealed class TorrentTrackers : IDisposable
{
    /// <summary>How many peers an announce asks for.</summary>
    public const int NumWant = 50;

    /// <summary>The longest a stop waits for the trackers to answer <c>stopped</c>: a tracker that is down must not hold up a shutdown.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly SessionContext _session;
    private readonly string _name;
    private readonly InfoHash _infoHash;

    // A hybrid's truncated v2 hash: its v2 swarm is announced to the same trackers, after each answered
    // announce of the v1 hash (BEP 52), with its own events: it hears stopped only if it answered started (BEP 3).
    private readonly InfoHash? _alsoInfoHash;
    private readonly IReadOnlyList<TrackerTier> _tiers;
    private readonly Func<(long Uploaded, long Downloaded, long Left, bool PartialSeed)> _totals;
    private readonly IPeerSink _peers;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<Uri, TrackerStatus> _statuses = [];
    private readonly AnnounceSchedule?[] _schedules;

    // The v2 swarm's events per tier; only their events count, the v1 schedule sets the times.
    private readonly AnnounceSchedule?[] _alsoSchedules;
    private readonly bool[] _busy;
    private readonly List<Task> _inFlight = [];
    private CancellationTokenSource? _stop;

    public TorrentTrackers(
        SessionContext session,
        string name,
        InfoHash infoHash,
        IReadOnlyList<IReadOnlyList<string>> tiers,
        IReadOnlyList<string> extraTrackers,
        Func<Uri, Uri>? rewriteAnnounceUrl,
        Func<(long Uploaded, long Downloaded, long Left, bool PartialSeed)> totals,
        IPeerSink peers,
        ILogger logger,
        InfoHash? alsoInfoHash = null)
    {
        _session = session;
        _name = name;
        _infoHash = infoHash;
        _alsoInfoHash = alsoInfoHash;
        _totals = totals;
        _peers = peers;
        _logger = logger;
        IReadOnlyList<IReadOnlyList<string>> urls = [.. tiers, .. extraTrackers.Select(url => (IReadOnlyList<string>)[url])];
        Func<Uri, Uri> rewrite = rewriteAnnounceUrl ?? (url => url);
        _tiers = new TrackerTiers(urls, url => session.TrackerClients.Create(rewrite(url))).Tiers;
        _schedules = new AnnounceSchedule?[_tiers.Count];
        _alsoSchedules = new AnnounceSchedule?[_tiers.Count];
        _busy = new bool[_tiers.Count];
        for (int tier = 0; tier < _tiers.Count; tier++)
        {
            foreach (Uri url in _tiers[tier].Urls)
            {
                _statuses[url] = new TrackerStatus(url, tier);
            }
        }
    }

    /// <summary>Every tracker, tier by tier, in the order each tier tries them now.</summary>
    public IReadOnlyList<TrackerStatus> Statuses
    {
        get
        {
            lock (_lock)
            {
                return [.. _tiers.SelectMany((tier, index) => tier.Urls.Select(url => _statuses[url] with
                {
                    NextAnnounce = _stop is null ? null : _schedules[index]!.NextAnnounce,
                }))];
            }
        }
    }

    /// <summary>Starts announcing: <c>started</c> to every tier now.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _stop = new CancellationTokenSource();
            for (int tier = 0; tier < _tiers.Count; tier++)
            {
                _schedules[tier] = new AnnounceSchedule(_session.Options.Time);
                _alsoSchedules[tier] = _alsoInfoHash is null ? null : new AnnounceSchedule(_session.Options.Time);
            }
        }

        Tick();
    }

    /// <summary>Sends the announces that are due.</summary>
    public void Tick()
    {
        lock (_lock)
        {
            if (_stop is null)
            {
                return;
            }

            _inFlight.RemoveAll(task => task.IsCompleted);
            for (int tier = 0; tier < _tiers.Count; tier++)
            {
                AnnounceSchedule schedule = _schedules[tier]!;
                if (!_busy[tier] && schedule.IsDue)
                {
                    _busy[tier] = true;
                    int index = tier;
                    CancellationToken token = _stop.Token;
                    _inFlight.Add(Task.Run(() => AnnounceAsync(index, schedule, token), CancellationToken.None));
                }
            }
        }
    }

    /// <summary>The download has just finished: <c>completed</c> goes to every tier now (BEP 3).</summary>
    public void OnDownloadCompleted()
    {
        lock (_lock)
        {
            foreach (AnnounceSchedule? schedule in _schedules.Concat(_alsoSchedules))
            {
                schedule?.OnDownloadCompleted();
            }
        }

        Tick();
    }

    /// <summary>Cancels the announces on their way, then says <c>stopped</c> to each swarm of the tiers that answered its <c>started</c>.</summary>
    public async Task StopAsync()
    {
        CancellationTokenSource? stop;
        Task[] inFlight;
        (int Tier, bool Started, bool AlsoStarted)[] started;
        lock (_lock)
        {
            stop = _stop;
            _stop = null;
            inFlight = [.. _inFlight];
            _inFlight.Clear();
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        stop.Dispose();
        lock (_lock)
        {
            started = [.. Enumerable.Range(0, _tiers.Count).Select(tier => (tier, _schedules[tier]!.HasStarted, _alsoSchedules[tier]?.HasStarted == true))];
        }

        using var timeout = new CancellationTokenSource(StopTimeout, _session.Options.Time);
        await Task.WhenAll(started.Select(tier => StoppedAsync(tier.Tier, tier.Started, tier.AlsoStarted, timeout.Token))).ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stop?.Dispose();
            _stop = null;
        }
    }

    /// <summary>Scrapes the torrent at the first tracker of each tier.</summary>
    public async Task<IReadOnlyList<TrackerScrapeResult>> ScrapeAsync(CancellationToken ct)
    {
        TrackerScrapeResult[] results = await Task.WhenAll(_tiers.Select(tier => tier.ScrapeAsync(_infoHash, ct))).ConfigureAwait(false);
        lock (_lock)
        {
            foreach (TrackerScrapeResult result in results)
            {
                if (result.Stats is { } stats)
                {
                    _statuses[result.Tracker] = _statuses[result.Tracker] with { Seeders = stats.Complete, Leechers = stats.Incomplete };
                }
            }
        }

        return results;
    }

    private async Task AnnounceAsync(int tier, AnnounceSchedule schedule, CancellationToken ct)
    {
        AnnounceEvent announceEvent;
        string? trackerId;
        lock (_lock)
        {
            announceEvent = schedule.NextEvent;
            trackerId = schedule.TrackerId;
        }

        try
        {
            IReadOnlyList<TrackerAnnounceResult> results = await _tiers[tier].AnnounceAsync(Request(announceEvent, trackerId), ct).ConfigureAwait(false);
            AnnounceResponse? answer = results.Count > 0 ? results[^1].Response : null;
            lock (_lock)
            {
                Record(announceEvent, results);
                if (answer is null)
                {
                    schedule.OnFailed();
                }
                else
                {
                    schedule.OnAnswered(announceEvent, answer);
                }
            }

            if (answer is not null && answer.Peers.Count > 0)
            {
                _peers.AddPeers(answer.Peers, PeerSource.Tracker);
            }

            if (answer is not null && _alsoInfoHash is not null)
            {
                await AnnounceAlsoAsync(tier, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A tracker client's bug must not take the torrent down: the tier just counts as failed.
            EngineLog.TierFailed(_logger, _name, tier, e);
            lock (_lock)
            {
                schedule.OnFailed();
            }
        }
        finally
        {
            lock (_lock)
            {
                _busy[tier] = false;
            }
        }
    }

    /// <summary>
    /// The v2 swarm's announce, with the event its own schedule is at (<c>started</c> until a tracker answers
    /// it, so a lost one is sent again); its peers join the one swarm, and the tier's status stays the v1 hash's.
    /// </summary>
    private async Task AnnounceAlsoAsync(int tier, CancellationToken ct)
    {
        AnnounceSchedule schedule;
        AnnounceEvent announceEvent;
        string? trackerId;
        lock (_lock)
        {
            schedule = _alsoSchedules[tier]!;
            announceEvent = schedule.NextEvent;
            trackerId = schedule.TrackerId;
        }

        IReadOnlyList<TrackerAnnounceResult> results = await _tiers[tier].AnnounceAsync(Request(announceEvent, trackerId) with { InfoHash = _alsoInfoHash! }, ct).ConfigureAwait(false);
        AnnounceResponse? answer = results.Count > 0 ? results[^1].Response : null;
        lock (_lock)
        {
            if (answer is null)
            {
                schedule.OnFailed();
            }
            else
            {
                schedule.OnAnswered(announceEvent, answer);
            }
        }

        if (answer is { Peers.Count: > 0 })
        {
            _peers.AddPeers(answer.Peers, PeerSource.Tracker);
        }
    }

    private async Task StoppedAsync(int tier, bool started, bool alsoStarted, CancellationToken ct)
    {
        try
        {
            if (started)
            {
                IReadOnlyList<TrackerAnnounceResult> results = await _tiers[tier].AnnounceAsync(Request(AnnounceEvent.Stopped, null), ct).ConfigureAwait(false);
                lock (_lock)
                {
                    Record(AnnounceEvent.Stopped, results);
                }
            }

            if (alsoStarted)
            {
                await _tiers[tier].AnnounceAsync(Request(AnnounceEvent.Stopped, null) with { InfoHash = _alsoInfoHash! }, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            EngineLog.StoppedUnanswered(_logger, _name, tier, StopTimeout.TotalSeconds);
        }
    }

    private AnnounceRequest Request(AnnounceEvent announceEvent, string? trackerId)
    {
        (long uploaded, long downloaded, long left, bool partialSeed) = _totals();

        // BEP 21: a partial seed says so in every regular announce, or the tracker would count it as a seed.
        AnnounceEvent sent = announceEvent == AnnounceEvent.None && partialSeed ? AnnounceEvent.Paused : announceEvent;
        // The router's port when it is mapped: the tracker sees the router's address, so that port is the one that reaches us.
        return new AnnounceRequest(_infoHash, _session.PeerId, _session.Reachability.AnnouncePort, uploaded, downloaded, left, sent)
        {
            NumWant = announceEvent == AnnounceEvent.Stopped ? 0 : NumWant,
            Key = _session.TrackerKey,
            TrackerId = trackerId,
        };
    }

    /// <summary>Keeps what each tracker said, and logs it.</summary>
    private void Record(AnnounceEvent sent, IReadOnlyList<TrackerAnnounceResult> results)
    {
        DateTimeOffset now = _session.Options.Time.GetUtcNow();
        foreach (TrackerAnnounceResult result in results)
        {
            TrackerStatus status = _statuses[result.Tracker];
            if (result.Response is { } response)
            {
                EngineLog.Announced(_logger, _name, sent, result.Tracker, response.Peers.Count, response.Complete, response.Incomplete);
                if (response.ExternalIp is { } external)
                {
                    _session.Reachability.Votes.Report(external, ExternalAddressSource.Tracker, result.Tracker.ToString());
                }

                _statuses[result.Tracker] = status with
                {
                    LastAnnounce = now,
                    LastError = null,
                    Seeders = response.Complete ?? status.Seeders,
                    Leechers = response.Incomplete ?? status.Leechers,
                    Peers = response.Peers.Count,
                };
            }
            else
            {
                EngineLog.AnnounceFailed(_logger, _name, sent, result.Tracker, result.Error ?? "no answer");
                _statuses[result.Tracker] = status with { LastError = result.Error };
            }
        }
    }
}
