using System.Diagnostics;
using System.Net.Sockets;

namespace Shoal.TrackerLoad;

/// <summary>
/// One keep-alive connection sending one announce at a time. A request that needs a new
/// connection (first one, server closed, error) has the connect in its latency; the connects
/// count shows how often that happened.
/// </summary>
internal sealed class HttpAnnouncer(LoadOptions options, HttpRequestWriter writer, Schedule schedule, int id)
{
    private readonly byte[] _request = new byte[1024];
    private readonly Random _random = new(HashCode.Combine(options.Seed, id));
    private Socket? _socket;
    private HttpResponseReader? _reader;

    public WorkerStats Stats { get; } = new();

    public async Task RunAsync()
    {
        while (schedule.TryNext(_random, out var peer, out var measured))
        {
            var stats = measured ? Stats : null;
            try
            {
                await AnnounceAsync(peer, stats);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                Close();
                stats?.Error(e.Message);
                // A tracker that is down should not turn the generator into a busy loop.
                await Task.Delay(10);
            }
        }
        Close();
    }

    private async Task AnnounceAsync(long peer, WorkerStats? stats)
    {
        var started = Stopwatch.GetTimestamp();
        var length = writer.Write(peer, _request);
        HttpResponse response;
        while (true)
        {
            var reused = _socket is not null;
            if (_socket is null)
            {
                await ConnectAsync(stats);
            }
            try
            {
                await _socket!.SendAsync(_request.AsMemory(0, length), SocketFlags.None);
                response = await _reader!.ReadAsync();
                break;
            }
            catch (Exception e) when (reused && e is SocketException or IOException)
            {
                // The server closed an idle keep-alive connection without saying so (opentracker
                // answers HTTP/1.1 and then closes): ask again on a new one, as browsers do.
                Close();
            }
        }
        if (!response.KeepAlive)
        {
            Close();
        }
        if (stats is null)
        {
            return;
        }
        if (response.Status != 200 || response.Failure is not null)
        {
            stats.Error(response.Failure ?? $"HTTP status {response.Status}");
        }
        else
        {
            stats.Announces++;
            stats.Latency.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
    }

    private async Task ConnectAsync(WorkerStats? stats)
    {
        var socket = new Socket(options.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Target);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        _reader = new HttpResponseReader(socket);
        if (stats is not null)
        {
            stats.Connects++;
        }
    }

    private void Close()
    {
        if (_reader is not null)
        {
            Stats.BytesReceived += _reader.BytesReceived;
        }
        _socket?.Dispose();
        _socket = null;
        _reader = null;
    }
}
