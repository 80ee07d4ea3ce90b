using System.Collections.Concurrent;
using System.Diagnostics;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Interop.Tests.Soak;

/// <summary>
/// Announces at a fixed rate, over HTTP and UDP in turn, for peers that come and go: each announce is for a peer
/// drawn at random from a fixed population spread over many swarms. A peer not in its swarm starts; one in it
/// leaves (stopped) three times in ten and otherwise announces again, so the swarms keep a steady size.
/// </summary>
internal sealed class SoakLoad
{
    private const int MaxProblemsKept = 10;

    private readonly ITrackerClient _http;
    private readonly ITrackerClient _udp;
    private readonly InfoHash[] _swarms;
    private readonly bool[] _inSwarm;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private long _sent;
    private long _answered;
    private long _refused;
    private long _failed;

    public SoakLoad(ITrackerClient http, ITrackerClient udp, int swarms, int peers, int seed)
    {
        _http = http;
        _udp = udp;
        _random = new Random(seed);
        _swarms = [.. Enumerable.Range(0, swarms).Select(_ => new InfoHash(_random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 20)))];
        _inSwarm = new bool[peers];
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Answers with a failure reason.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Announces with no answer: a timeout or a broken connection.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The first few refusals and failures, as text.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>Announces <paramref name="perSecond"/> times a second for <paramref name="duration"/>, then waits for every answer.</summary>
    public async Task RunAsync(int perSecond, TimeSpan duration)
    {
        var pending = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync())
        {
            // As many as the clock says are due, so a late tick does not lower the rate.
            long due = Math.Min((long)(clock.Elapsed.TotalSeconds * perSecond), (long)(duration.TotalSeconds * perSecond));
            while (Sent < due)
            {
                pending.Add(AnnounceAsync(Interlocked.Increment(ref _sent)));
            }

            pending.RemoveAll(task => task.IsCompleted);
        }

        await Task.WhenAll(pending);
    }

    private async Task AnnounceAsync(long number)
    {
        (int peer, AnnounceEvent announceEvent) = Next();
        ITrackerClient client = number % 2 == 0 ? _http : _udp;
        int port = 10_000 + peer;
        var request = new AnnounceRequest(
            _swarms[peer % _swarms.Length], System.Text.Encoding.ASCII.GetBytes($"-SK0001-{port:D12}"), port, 0, 0, peer % 4 == 0 ? 0 : 1000, announceEvent);
        try
        {
            AnnounceResponse response = await client.AnnounceAsync(request, CancellationToken.None);
            if (response.FailureReason is { } reason)
            {
                Interlocked.Increment(ref _refused);
                Note($"{client.Url.Scheme} announce refused: {reason}");
            }
            else
            {
                Interlocked.Increment(ref _answered);
            }
        }
        catch (Exception e) when (e is TrackerException or HttpRequestException or IOException or OperationCanceledException)
        {
            Interlocked.Increment(ref _failed);
            Note($"{client.Url.Scheme} announce failed: {e.Message}");
        }
    }

    private (int Peer, AnnounceEvent Event) Next()
    {
        lock (_gate)
        {
            int peer = _random.Next(_inSwarm.Length);
            AnnounceEvent announceEvent = !_inSwarm[peer] ? AnnounceEvent.Started : _random.Next(10) < 3 ? AnnounceEvent.Stopped : AnnounceEvent.None;
            _inSwarm[peer] = announceEvent != AnnounceEvent.Stopped;
            return (peer, announceEvent);
        }
    }

    private void Note(string problem)
    {
        if (Problems.Count < MaxProblemsKept)
        {
            Problems.Enqueue(problem);
        }
    }
}
