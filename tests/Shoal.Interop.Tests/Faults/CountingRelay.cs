using System.Net;
using System.Net.Sockets;

namespace Shoal.Interop.Tests.Faults;

/// <summary>
/// A TCP relay on 127.0.0.1 to one peer that counts the bytes it hands on from that peer: what a seeder
/// really delivered to a leecher's socket, whatever either of them reports. A connection ends both ways
/// when either side ends it.
/// </summary>
public sealed class CountingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _delivered;
    private Trigger? _trigger;

    private CountingRelay(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Bytes from the target written to the connections' other ends so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    public static CountingRelay To(string endpoint) => new(IPEndPoint.Parse(endpoint));

    /// <summary>
    /// Runs <paramref name="action"/> once, on the relay's own thread, as soon as <see cref="Delivered"/> reaches
    /// <paramref name="total"/>: a fault that strikes at an exact point of a transfer, not some time after it.
    /// </summary>
    public void When(long total, Action action) => Volatile.Write(ref _trigger, new Trigger(total, action));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                Socket client = await _listener.AcceptSocketAsync(_stop.Token);
                connections.Add(RelayAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        using (var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                Task up = CopyAsync(client, upstream, counted: false, done);
                Task down = CopyAsync(upstream, client, counted: true, done);
                await Task.WhenAny(up, down);
                await done.CancelAsync();
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }
        }
    }

    private async Task CopyAsync(Socket from, Socket to, bool counted, CancellationTokenSource done)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, done.Token);
                if (read == 0)
                {
                    return;
                }

                for (int sent = 0; sent < read;)
                {
                    int now = await to.SendAsync(buffer.AsMemory(sent, read - sent), done.Token);
                    sent += now;
                    if (counted && Interlocked.Add(ref _delivered, now) >= Volatile.Read(ref _trigger)?.Total)
                    {
                        Interlocked.Exchange(ref _trigger, null)?.Action();
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private sealed record Trigger(long Total, Action Action);
}
