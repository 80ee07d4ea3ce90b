using System.Net;
using System.Net.Sockets;
using Shoal.Discovery.Trackers;
using Shoal.Metainfo;

namespace Shoal.Tests.Discovery;

internal static class TrackerClientFixtures
{
    public static readonly IPEndPoint[] Peers = [new(IPAddress.Parse("10.0.0.1"), 6881), new(IPAddress.Parse("10.0.0.2"), 51413)];

    /// <summary>Short timeouts: 200 ms, then 400 ms.</summary>
    public static readonly UdpTrackerOptions FastUdp = new() { BaseTimeout = TimeSpan.FromMilliseconds(200), MaxAttempts = 2 };

    // For trackers that always answer: a busy machine can take longer than FastUdp's 200 ms to answer, and a
    // resend then changes the requests a test counts.
    public static readonly UdpTrackerOptions AnsweringUdp = new() { BaseTimeout = TimeSpan.FromSeconds(10), MaxAttempts = 2 };

    public static InfoHash Hash(byte value) => new(Enumerable.Repeat(value, 20).ToArray());

    public static AnnounceRequest Request(AnnounceEvent announceEvent = AnnounceEvent.Started, bool compact = true) =>
        new(Hash(0xAB), "-SH0100-abcdefghijkl"u8.ToArray(), 6881, 10, 20, 1000, announceEvent, compact);

    /// <summary>A TCP port on 127.0.0.1 nobody listens on (bound, then released).</summary>
    public static int ClosedTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A UDP port on 127.0.0.1 nobody listens on (bound, then released).</summary>
    public static int ClosedUdpPort()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
    }
}
