using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Shoal.Tracker.Udp;

/// <summary>
/// The UDP tracker socket (BEP 15): a few receive loops on one socket, each with its own buffers,
/// so a store that answers asynchronously (PostgreSQL) does not hold up every other client.
/// </summary>
internal sealed class UdpTrackerServer : IAsyncDisposable
{
    // Larger than any request: an announce is 98 bytes, a scrape at most 16 + 74 × 20.
    private const int ReceiveBufferLength = 2048;

    private readonly Socket _socket;
    private readonly UdpRequestHandler _handler;
    private readonly int _responseLength;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;

    private UdpTrackerServer(Socket socket, UdpRequestHandler handler, int responseLength, ILogger logger)
    {
        _socket = socket;
        _handler = handler;
        _responseLength = responseLength;
        _logger = logger;
        _loops = [.. Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount * 2)).Select(_ => Task.Run(() => ReceiveLoopAsync(_stop.Token)))];
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> (IPv6 any also takes IPv4) and starts answering.</summary>
    public static UdpTrackerServer Start(IPAddress address, int port, UdpRequestHandler handler, int responseLength, ILogger logger)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = address.Equals(IPAddress.IPv6Any);
            }

            socket.Bind(new IPEndPoint(address, port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new UdpTrackerServer(socket, handler, responseLength, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken stop)
    {
        byte[] request = new byte[ReceiveBufferLength];
        byte[] response = new byte[_responseLength];
        var from = new SocketAddress(_socket.AddressFamily);
        var template = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                int received = await _socket.ReceiveFromAsync(request, SocketFlags.None, from, stop).ConfigureAwait(false);
                var remote = (IPEndPoint)template.Create(from);
                int length = await _handler.HandleAsync(request.AsMemory(0, received), remote, response, stop).ConfigureAwait(false);
                if (length > 0)
                {
                    await _socket.SendToAsync(response.AsMemory(0, length), SocketFlags.None, from, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP "port unreachable" from an earlier answer, and the like: one client's trouble, not the server's.
                TrackerLog.UdpSocketError(_logger, e.SocketErrorCode);
            }
            catch (Exception e)
            {
                TrackerLog.RequestFailed(_logger, IPAddress.None, e);
            }
        }
    }
}
