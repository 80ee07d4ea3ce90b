using System.Net;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Tests.Discovery;

/// <summary>
/// An HTTP tracker on 127.0.0.1 that remembers who announced each info-hash (at <c>peerAddress</c>,
/// 127.0.0.1 by default, and the announced port, until it says <c>stopped</c>) and answers each with the
/// others. Every announce is kept.
/// </summary>
internal sealed class TestSwarmTracker : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<InfoHash, HashSet<int>> _swarms = [];
    private readonly List<AnnounceRequest> _announces = [];
    private readonly TestHttpTracker _http;

    public TestSwarmTracker(int interval = 1800, Func<AnnounceRequest, bool>? ignore = null, IPAddress? peerAddress = null)
    {
        _http = new TestHttpTracker(target => Handle(target, interval, ignore, peerAddress ?? IPAddress.Loopback));
    }

    public Uri AnnounceUrl => _http.AnnounceUrl;

    public IReadOnlyList<AnnounceRequest> Announces
    {
        get
        {
            lock (_lock)
            {
                return [.. _announces];
            }
        }
    }

    /// <summary>The events announced from <paramref name="port"/>, in order; for one info-hash only when given (a hybrid announces two).</summary>
    public IReadOnlyList<AnnounceEvent> EventsFrom(int port, InfoHash? infoHash = null) =>
        [.. Announces.Where(a => a.Port == port && (infoHash is null || a.InfoHash.Equals(infoHash))).Select(a => a.Event)];

    /// <summary>The announces for one info-hash.</summary>
    public IReadOnlyList<AnnounceRequest> AnnouncesOf(InfoHash infoHash) => [.. Announces.Where(a => a.InfoHash.Equals(infoHash))];

    /// <summary>Waits until <paramref name="condition"/> holds for the announces so far.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<AnnounceRequest>, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition(Announces))
        {
            await Task.Delay(20, cts.Token);
        }
    }

    public ValueTask DisposeAsync() => _http.DisposeAsync();

    private byte[]? Handle(string target, int interval, Func<AnnounceRequest, bool>? ignore, IPAddress peerAddress)
    {
        AnnounceRequest request = AnnounceRequestCodec.Parse(target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..]);
        IPEndPoint[] peers;
        lock (_lock)
        {
            _announces.Add(request);
            if (ignore?.Invoke(request) == true)
            {
                return null;
            }

            if (!_swarms.TryGetValue(request.InfoHash, out HashSet<int>? swarm))
            {
                _swarms[request.InfoHash] = swarm = [];
            }

            if (request.Event == AnnounceEvent.Stopped)
            {
                swarm.Remove(request.Port);
            }
            else
            {
                swarm.Add(request.Port);
            }

            peers = [.. swarm.Where(port => port != request.Port).Select(port => new IPEndPoint(peerAddress, port))];
        }

        var response = new AnnounceResponse { Interval = interval, Complete = peers.Length, Incomplete = 0, Peers = peers };
        return TestHttpTracker.Ok(AnnounceResponseCodec.Encode(response, request.Compact));
    }
}
