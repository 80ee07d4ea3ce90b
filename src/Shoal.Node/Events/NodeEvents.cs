using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Shoal.Node.Api;
using Shoal.Node.Torrents;
using Shoal.Session;

namespace Shoal.Node.Events;

/// <summary>
/// The one producer behind <c>GET /api/v1/events</c>. Once a second on the node's clock, and as soon as a
/// torrent is added, removed or changes state or a client joins, it takes views of all torrents, compares
/// them with the views it published last, and posts the differences to every client. A joining client gets
/// those views as its snapshot, taken after it asked, so it sees what was done before it connected, and
/// the snapshot plus the events after it is always the node's state.
/// </summary>
internal sealed partial class NodeEvents : IAsyncDisposable
{
    public const int MaxClients = 64;

    /// <summary>A pass where each of 1,000 torrents changed posts 1,000 events: room for a few before a client counts as too slow.</summary>
    public const int QueuedPerClient = 4096;

    private const int TicksPerHeartbeat = 15;

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly NodeTorrents _torrents;
    private readonly ShoalSession _session;
    private readonly ILogger _logger;
    private readonly int _queuedPerClient;
    private readonly Lock _gate = new();
    private readonly List<EventSubscription> _clients = [];
    private readonly List<EventSubscription> _joining = [];

    // Capacity one: however many wake-ups arrive during a pass, one more pass covers them all.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;
    private readonly Task _loop;
    private int _tickDue;
    private int _ticks;
    private bool _stopped;

    // Read and written by the loop only. Empty at first: no client can join before the first pass.
    private Dictionary<string, TorrentView> _published = new(StringComparer.Ordinal);

    private NodeEvents(NodeTorrents torrents, ShoalSession session, TimeProvider time, ILogger logger, int queuedPerClient)
    {
        _torrents = torrents;
        _session = session;
        _logger = logger;
        _queuedPerClient = queuedPerClient;
        torrents.Changed += Wake;
        _timer = time.CreateTimer(_ => OnTick(), null, Tick, Tick);
        _loop = RunAsync();
    }

    public static NodeEvents Start(NodeTorrents torrents, ShoalSession session, TimeProvider time, ILogger logger, int queuedPerClient = QueuedPerClient) =>
        new(torrents, session, time, logger, queuedPerClient);

    /// <summary>A new client, whose queue gets its snapshot at the next pass; null when <see cref="MaxClients"/> are connected.</summary>
    public EventSubscription? Subscribe()
    {
        EventSubscription client;
        lock (_gate)
        {
            if (_stopped || _clients.Count + _joining.Count >= MaxClients)
            {
                return null;
            }

            client = new EventSubscription(_queuedPerClient, Unsubscribe);
            _joining.Add(client);
        }

        Wake();
        return client;
    }

    /// <summary>Stops the passes and ends every client's stream.</summary>
    public async ValueTask DisposeAsync()
    {
        _torrents.Changed -= Wake;
        await _timer.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        List<EventSubscription> clients;
        lock (_gate)
        {
            _stopped = true;
            clients = [.. _clients, .. _joining];
            _clients.Clear();
            _joining.Clear();
        }

        clients.ForEach(c => c.End());
        _stop.Dispose();
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private void OnTick()
    {
        Interlocked.Exchange(ref _tickDue, 1);
        Wake();
    }

    private void Unsubscribe(EventSubscription client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
            _joining.Remove(client);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (bool _ in _wake.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    Publish();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One failed pass (a torrent torn down while viewed) must not end the stream for good: the next pass tries again.
                    LogPassFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Publish()
    {
        bool tick = Interlocked.Exchange(ref _tickDue, 0) == 1;
        List<EventSubscription> joining;
        lock (_gate)
        {
            // Taken before the views, so each snapshot is of the node after its client asked.
            joining = [.. _joining];
        }

        List<TorrentView> views = [.. _torrents.All.Select(TorrentViews.From)];
        Dictionary<string, TorrentView> byId = views.ToDictionary(v => v.Id, StringComparer.Ordinal);
        NodeStats stats = NodeStats.Of(views, _session.DhtState);
        List<ServerSentEvent> events = [.. TorrentDeltas.Between(_published, byId)];
        _published = byId;
        ServerSentEvent? snapshot = joining.Count > 0 ? ServerSentEvent.Of("snapshot", new EventSnapshot(views, stats), NodeJsonContext.Api.EventSnapshot) : null;
        if (tick)
        {
            events.Add(ServerSentEvent.Of("stats", stats, NodeJsonContext.Api.NodeStats));
            if (++_ticks % TicksPerHeartbeat == 0)
            {
                events.Add(ServerSentEvent.Heartbeat);
            }
        }

        List<EventSubscription> overflowed;
        lock (_gate)
        {
            overflowed = [.. _clients.Where(client => !events.All(client.TryPost))];
            _clients.RemoveAll(overflowed.Contains);
            // One that left meanwhile is no longer joining.
            foreach (EventSubscription client in joining.Where(_joining.Remove))
            {
                client.TryPost(snapshot!);
                _clients.Add(client);
            }
        }

        overflowed.ForEach(c => c.End());
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the event stream failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
