using System.Net;
using System.Net.Sockets;

namespace Shoal.Tracker.Tests.Accounts;

/// <summary>An HTTP client whose connections come from another loopback address (127.0.0.2…), as if from another machine.</summary>
internal static class LoopbackClient
{
    public static HttpClient From(IPAddress local, RunningTracker tracker)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = tracker.Http.BaseAddress };
    }
}
