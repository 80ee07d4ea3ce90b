using System.Net;
using System.Net.Sockets;
using Shoal.Discovery.Trackers;

namespace Shoal.Tests.Discovery;

/// <summary>
/// A tiny BEP 15 tracker on 127.0.0.1 built on <see cref="UdpTrackerCodec"/>. It hands out connection
/// ids 1, 2, 3…, checks them on announce and scrape, and answers with <see cref="Peers"/>. The
/// <see cref="Override"/> hook can answer a request differently (return the packet, an empty array to drop it, or null for the default).
/// </summary>
internal sealed class TestUdpTracker : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<UdpTrackerMessage> _requests = [];
    private long _nextConnectionId = 1;

    public TestUdpTracker()
    {
        _ = LoopAsync();
    }

    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];

    /// <summary>Given the request and how many packets came before it, a different answer; null keeps the default.</summary>
    public Func<UdpTrackerMessage, int, byte[]?>? Override { get; init; }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public Uri Url => new($"udp://127.0.0.1:{Port}/announce");

    public IReadOnlyList<UdpTrackerMessage> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public int Count<T>() => Requests.OfType<T>().Count();

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        try
        {
            while (true)
            {
                UdpReceiveResult packet = await _udp.ReceiveAsync(_stop.Token);
                UdpTrackerMessage request = UdpTrackerCodec.ReadRequest(packet.Buffer);
                int index;
                lock (_lock)
                {
                    index = _requests.Count;
                    _requests.Add(request);
                }

                byte[] answer = Override?.Invoke(request, index) ?? Answer(request);
                if (answer.Length > 0)
                {
                    await _udp.SendAsync(answer, packet.RemoteEndPoint, _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private byte[] Answer(UdpTrackerMessage request)
    {
        var buffer = new byte[2048];
        int length;
        switch (request)
        {
            case UdpConnectRequest connect:
                length = UdpTrackerCodec.WriteConnectResponse(buffer, new UdpConnectResponse(connect.TransactionId, Interlocked.Increment(ref _nextConnectionId) - 1));
                break;
            case UdpAnnounceRequest announce when Known(announce.ConnectionId):
                length = UdpTrackerCodec.WriteAnnounceResponse(buffer, new UdpAnnounceResponse(announce.TransactionId, 1800, 3, 4, Peers), AddressFamily.InterNetwork);
                break;
            case UdpScrapeRequest scrape when Known(scrape.ConnectionId):
                length = UdpTrackerCodec.WriteScrapeResponse(buffer, new UdpScrapeResponse(
                    scrape.TransactionId, scrape.InfoHashes.Select((_, i) => new ScrapeStats(10 + i, 20 + i, 30 + i)).ToArray()));
                break;
            default:
                length = UdpTrackerCodec.WriteError(buffer, new UdpErrorResponse(request.TransactionId, "bad connection id"));
                break;
        }

        return buffer[..length];
    }

    private bool Known(long connectionId) => connectionId > 0 && connectionId < Interlocked.Read(ref _nextConnectionId);
}
