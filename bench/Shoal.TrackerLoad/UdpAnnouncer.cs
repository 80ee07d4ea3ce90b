using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Shoal.TrackerLoad;

/// <summary>
/// One BEP 15 client with one request in flight: connects, reuses the connection id for up to a
/// minute, announces. A timeout or error drops the connection id so the next announce connects
/// again; connects are not in the latency.
/// </summary>
internal sealed class UdpAnnouncer(LoadOptions options, Swarms swarms, Schedule schedule, int id) : IDisposable
{
    private const long ProtocolId = 0x41727101980;
    private const int ActionConnect = 0;
    private const int ActionAnnounce = 1;
    private const int ActionError = 3;
    private static readonly long ConnectionLifetime = 60 * Stopwatch.Frequency;

    private readonly byte[] _send = new byte[98];
    private readonly byte[] _receive = new byte[65536];
    private readonly Random _random = new(HashCode.Combine(options.Seed, id, "udp"));
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
    private CancellationTokenSource _timer = new();
    private Socket? _socket;
    private long _connectionId;
    private long _connectedAt;
    private int _transaction;

    public WorkerStats Stats { get; } = new();

    public async Task RunAsync()
    {
        while (schedule.TryNext(_random, out var peer, out var measured))
        {
            var stats = measured ? Stats : null;
            try
            {
                if (_socket is null || Stopwatch.GetTimestamp() - _connectedAt > ConnectionLifetime)
                {
                    await ConnectAsync(stats);
                }
                var started = Stopwatch.GetTimestamp();
                var received = await ExchangeAsync(WriteAnnounce(peer));
                var answered = received >= 20 && BinaryPrimitives.ReadInt32BigEndian(_receive) == ActionAnnounce;
                if (!answered)
                {
                    _socket = Drop(_socket);
                }
                if (stats is null)
                {
                    continue;
                }
                if (answered)
                {
                    stats.Announces++;
                    stats.Latency.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                }
                else
                {
                    stats.Error($"{received}-byte answer to an announce with action {BinaryPrimitives.ReadInt32BigEndian(_receive)}");
                }
            }
            catch (OperationCanceledException)
            {
                _timer.Dispose();
                _timer = new CancellationTokenSource();
                _socket = Drop(_socket);
                if (stats is not null)
                {
                    stats.Timeouts++;
                }
            }
            catch (Exception e) when (e is SocketException or TrackerErrorException)
            {
                _socket = Drop(_socket);
                stats?.Error(e.Message);
                // A tracker that is down should not turn the generator into a busy loop.
                await Task.Delay(10);
            }
        }
        _socket = Drop(_socket);
    }

    public void Dispose()
    {
        _socket = Drop(_socket);
        _timer.Dispose();
    }

    private async Task ConnectAsync(WorkerStats? stats)
    {
        _socket ??= await OpenAsync();
        BinaryPrimitives.WriteInt64BigEndian(_send, ProtocolId);
        BinaryPrimitives.WriteInt32BigEndian(_send.AsSpan(8), ActionConnect);
        var received = await ExchangeAsync(16);
        if (received < 16 || BinaryPrimitives.ReadInt32BigEndian(_receive) != ActionConnect)
        {
            throw new TrackerErrorException($"{received}-byte answer to a connect that is not a connect");
        }
        _connectionId = BinaryPrimitives.ReadInt64BigEndian(_receive.AsSpan(8));
        _connectedAt = Stopwatch.GetTimestamp();
        if (stats is not null)
        {
            stats.Connects++;
        }
    }

    private async Task<Socket> OpenAsync()
    {
        var socket = new Socket(options.Target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(options.Target);
        return socket;
    }

    private int WriteAnnounce(long peer)
    {
        var packet = _send.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(packet, _connectionId);
        BinaryPrimitives.WriteInt32BigEndian(packet[8..], ActionAnnounce);
        swarms.InfoHash(peer).CopyTo(packet[16..]);
        Swarms.WritePeerId(peer, packet[36..]);
        BinaryPrimitives.WriteInt64BigEndian(packet[56..], 0);
        BinaryPrimitives.WriteInt64BigEndian(packet[64..], Swarms.Left(peer));
        BinaryPrimitives.WriteInt64BigEndian(packet[72..], 0);
        BinaryPrimitives.WriteInt32BigEndian(packet[80..], options.Fill ? 2 : 0);
        BinaryPrimitives.WriteInt32BigEndian(packet[84..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(packet[88..], (uint)peer);
        BinaryPrimitives.WriteInt32BigEndian(packet[92..], options.NumWant);
        BinaryPrimitives.WriteUInt16BigEndian(packet[96..], swarms.Port(peer));
        return 98;
    }

    /// <summary>Sends the packet with a fresh transaction id and waits for its answer.</summary>
    private async Task<int> ExchangeAsync(int length)
    {
        var transaction = ++_transaction;
        BinaryPrimitives.WriteInt32BigEndian(_send.AsSpan(12), transaction);
        await _socket!.SendAsync(_send.AsMemory(0, length), SocketFlags.None);
        _timer.CancelAfter(_timeout);
        while (true)
        {
            var received = await _socket.ReceiveAsync(_receive, SocketFlags.None, _timer.Token);
            // Late answers to requests that timed out carry older transaction ids.
            if (received >= 8 && BinaryPrimitives.ReadInt32BigEndian(_receive.AsSpan(4)) == transaction)
            {
                _timer.TryReset();
                Stats.BytesReceived += received;
                if (BinaryPrimitives.ReadInt32BigEndian(_receive) == ActionError)
                {
                    throw new TrackerErrorException(Encoding.UTF8.GetString(_receive, 8, received - 8));
                }
                return received;
            }
        }
    }

    private static Socket? Drop(Socket? socket)
    {
        socket?.Dispose();
        return null;
    }
}
