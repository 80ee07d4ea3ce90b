using Microsoft.Extensions.Logging;
using Shoal.Metainfo;
using Shoal.Net.WebSeeds;
using Shoal.Storage;
using Shoal.Swarm;

namespace Shoal.Session;

/// <summary>
/// A torrent's web seeds (BEP 19): each HTTP(S) entry of its url-list joins the swarm as a <see cref="WebSeedConnection"/>
/// while there is something to fetch, is retried with back-off after a failure, and is discarded for the session once
/// it served data that failed its check.
/// </summary>
internal sealed class TorrentWebSeeds(SessionContext session, Torrent torrent, Lock gate, TorrentBandwidth bandwidth, ILogger logger) : IDisposable
{
    /// <summary>The url-list entries used at most: the torrent's author chose them, but a list of thousands is not a plan.</summary>
    public const int MaxWebSeeds = 8;

    private readonly WebSeed[] _seeds = [.. torrent.WebSeeds
        .Distinct(StringComparer.Ordinal)
        .Select(entry => (Entry: entry, Url: WebSeedUrl.Parse(entry)))
        .Where(seed => seed.Url is not null)
        .Take(MaxWebSeeds)
        .Select(seed => new WebSeed(seed.Entry, seed.Url!))];

    private readonly RunningTasks _running = new(gate);
    private readonly long _startTimestamp = session.Options.Time.GetTimestamp();
    private HttpClient? _http;
    private ContentMap? _map;
    private TorrentSwarm? _swarm;
    private CancellationToken _stop;

    private TimeSpan Now => session.Options.Time.GetElapsedTime(_startTimestamp);

    /// <summary>Web seeds now join <paramref name="swarm"/> until <paramref name="stop"/>.</summary>
    public void Open(TorrentSwarm swarm, CancellationToken stop)
    {
        lock (gate)
        {
            _swarm = swarm;
            _stop = stop;
        }

        Tick();
    }

    /// <summary>Starts the web seeds that are due, while the swarm has something to fetch.</summary>
    public void Tick()
    {
        List<WebSeedConnection> started = [];
        lock (gate)
        {
            if (_seeds.Length == 0 || _swarm is not { IsClosed: false, IsComplete: false } swarm || _stop.IsCancellationRequested)
            {
                return;
            }

            foreach (WebSeed seed in _seeds)
            {
                if (seed.Connection is null && seed.Backoff.IsDue(Now))
                {
                    _http ??= WebSeedHttp.Create();
                    _map ??= new ContentMap(torrent);
                    seed.Connection = new WebSeedConnection(seed.Entry, seed.Url, new WebSeedContext(
                        torrent, _map, swarm, gate, _http, bandwidth.Download, session.Options.BufferPool, session.Options.Time, session.Options.Swarm.WebSeedRequestQueue * 2));
                    started.Add(seed.Connection);
                }
            }
        }

        foreach (WebSeedConnection connection in started)
        {
            _ = RunAsync(connection, _stop);
        }
    }

    /// <summary>Completes when every web seed connection running now has ended.</summary>
    public Task WhenAllClosedAsync() => _running.WhenAllEndedAsync();

    /// <summary>Each web seed with what it delivered; call under the torrent's lock, with the swarm's status for live rates.</summary>
    public IReadOnlyList<WebSeedStatus> Statuses(SwarmStatus swarm)
    {
        TimeSpan now = Now;
        DateTimeOffset utcNow = session.Options.Time.GetUtcNow();
        return [.. _seeds.Select(seed =>
        {
            PeerSnapshot? live = seed.Connection is null ? null : swarm.Peers.FirstOrDefault(p => p.WebSeed == seed.Entry);
            WebSeedState state = seed.Backoff.IsDiscarded ? WebSeedState.Discarded
                : live is not null ? WebSeedState.Connected
                : seed.Backoff.RetryAt is { } at && at > now ? WebSeedState.Waiting
                : WebSeedState.Idle;
            return new WebSeedStatus(seed.Entry, state, seed.Downloaded + (seed.Connection?.Downloaded ?? 0), live?.DownloadRate ?? 0)
            {
                LastError = seed.LastError,
                RetryAt = state == WebSeedState.Waiting ? utcNow + (seed.Backoff.RetryAt!.Value - now) : null,
            };
        })];
    }

    public void Dispose() => _http?.Dispose();

    private async Task RunAsync(WebSeedConnection connection, CancellationToken stop)
    {
        await _running.RunAsync(connection.RunAsync(stop)).ConfigureAwait(false);
        lock (gate)
        {
            WebSeed seed = _seeds.First(s => s.Connection == connection);
            seed.Connection = null;
            seed.Downloaded += connection.Downloaded;
            if (connection.Downloaded > 0)
            {
                seed.Backoff.Delivered();
            }

            if (_swarm?.IsWebSeedDiscarded(seed.Entry) == true)
            {
                seed.Backoff.Discard();
                seed.LastError = connection.CloseReason;
                EngineLog.WebSeedDiscarded(logger, torrent.Name, seed.Entry, connection.CloseReason ?? "bad data");
            }
            else if (connection.Error is { } error)
            {
                seed.Backoff.Failed(Now);
                seed.LastError = error;
                EngineLog.WebSeedFailed(logger, torrent.Name, seed.Entry, (seed.Backoff.RetryAt!.Value - Now).TotalSeconds, error);
            }
        }
    }

    private sealed class WebSeed(string entry, Uri url)
    {
        public string Entry { get; } = entry;

        public Uri Url { get; } = url;

        public WebSeedBackoff Backoff { get; } = new();

        public WebSeedConnection? Connection { get; set; }

        /// <summary>Payload kept from its connections that have ended.</summary>
        public long Downloaded { get; set; }

        public string? LastError { get; set; }
    }
}
