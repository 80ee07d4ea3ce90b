using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Shoal.Tracker.Logging;
using Shoal.Tracker.Metrics;

namespace Shoal.Tracker.Udp;

/// <summary>
/// The UDP tracker socket (BEP 15), read by one blocking thread per core: an answer the store gives
/// at once (the in-memory swarms) goes back on the same thread with no hand-off, the way a C tracker
/// answers; one the store must wait for (PostgreSQL) finishes on the thread pool with its own buffers.
/// At most a bound of requests are under way at once; a packet read beyond it is dropped unhandled,
/// counted in the metrics, with one log line when dropping starts and one when it ends.
/// </summary>
internal sealed class UdpTrackerServer : IAsyncDisposable
{
    // Larger than any request: an announce is 98 bytes, a scrape at most 16 + 74 × 20.
    private const int ReceiveBufferLength = 2048;

    private readonly Socket _socket;
    private readonly UdpRequestHandler _handler;
    private readonly int _responseLength;
    private readonly int _maxPending;
    private readonly TrackerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _readers;
    private int _pending;
    private long _dropped;

    private UdpTrackerServer(Socket socket, UdpRequestHandler handler, int responseLength, int maxPending, TrackerMetrics metrics, ILogger logger)
    {
        _socket = socket;
        _handler = handler;
        _responseLength = responseLength;
        _maxPending = maxPending;
        _metrics = metrics;
        _logger = logger;
        _readers = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(i => new Thread(ReadLoop) { IsBackground = true, Name = $"udp tracker {i + 1}" })];
        foreach (Thread reader in _readers)
        {
            reader.Start();
        }
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>
    /// Binds <paramref name="address"/>:<paramref name="port"/> (IPv6 any also takes IPv4) and starts answering, at most
    /// <paramref name="maxPending"/> requests at once.
    /// </summary>
    public static UdpTrackerServer Start(IPAddress address, int port, UdpRequestHandler handler, int responseLength, int maxPending, TrackerMetrics metrics, ILogger logger)
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

        return new UdpTrackerServer(socket, handler, responseLength, maxPending, metrics, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // Closing the socket ends the blocking reads.
        _socket.Dispose();
        foreach (Thread reader in _readers)
        {
            reader.Join();
        }

        while (Volatile.Read(ref _pending) > 0)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private void ReadLoop()
    {
        byte[] request = new byte[ReceiveBufferLength];
        byte[] response = new byte[_responseLength];
        var from = new SocketAddress(_socket.AddressFamily);
        var sources = new SourceAddresses(_socket.AddressFamily);
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                int received = _socket.ReceiveFrom(request, SocketFlags.None, from);
                if (!TryBegin())
                {
                    continue;
                }

                IPEndPoint remote = sources.Of(from);
                ValueTask<int> answer = _handler.HandleAsync(request.AsMemory(0, received), remote, response, stop);
                if (answer.IsCompletedSuccessfully)
                {
                    End();
                    Send(response, answer.Result, from);
                    continue;
                }

                // The answer now owns these buffers and this address; the loop takes new ones.
                _ = FinishAsync(answer, response, Copy(from));
                request = new byte[ReceiveBufferLength];
                response = new byte[_responseLength];
            }
            catch (Exception) when (stop.IsCancellationRequested)
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

    // Counted before the request is handled, since once started a slow one holds its buffers and a
    // store connection whether or not it is answered.
    private bool TryBegin()
    {
        if (Interlocked.Increment(ref _pending) <= _maxPending)
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        _metrics.UdpDropped();
        if (Interlocked.Increment(ref _dropped) == 1)
        {
            TrackerLog.UdpShedding(_logger, _maxPending);
        }

        return false;
    }

    private void End()
    {
        // Dropping ends once half the room is free again, so a store hovering at the bound logs no pair per packet.
        if (Interlocked.Decrement(ref _pending) < _maxPending / 2 && Volatile.Read(ref _dropped) > 0 && Interlocked.Exchange(ref _dropped, 0) is > 0 and long dropped)
        {
            TrackerLog.UdpShed(_logger, dropped);
        }
    }

    private async Task FinishAsync(ValueTask<int> answer, byte[] response, SocketAddress to)
    {
        _metrics.UdpPending(+1);
        try
        {
            Send(response, await answer.ConfigureAwait(false), to);
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            TrackerLog.RequestFailed(_logger, IPAddress.None, e);
        }
        catch (Exception)
        {
            // Stopping: the socket is gone.
        }
        finally
        {
            _metrics.UdpPending(-1);
            End();
        }
    }

    private void Send(byte[] response, int length, SocketAddress to)
    {
        if (length > 0)
        {
            _socket.SendTo(response.AsSpan(0, length), SocketFlags.None, to);
        }
    }

    /// <summary>
    /// The end point of each packet's source, the address object shared with the packet before when it came
    /// from the same address (a client announcing its torrents in turn, or a NAT's many clients): the
    /// address was most of what a packet allocated. One per reader thread.
    /// </summary>
    private sealed class SourceAddresses(AddressFamily family)
    {
        // sockaddr_in and sockaddr_in6: the port at bytes 2–3, then the address (with IPv6's flow info and scope).
        private const int PortOffset = 2;
        private const int AddressOffset = 4;

        private readonly IPEndPoint _template = new(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        private readonly byte[] _last = new byte[new SocketAddress(family).Size];
        private IPAddress? _address;

        public IPEndPoint Of(SocketAddress from)
        {
            ReadOnlySpan<byte> bytes = from.Buffer.Span[..from.Size];
            int port = (bytes[PortOffset] << 8) | bytes[PortOffset + 1];
            if (_address is not null && bytes.Length == _last.Length && bytes[AddressOffset..].SequenceEqual(_last.AsSpan(AddressOffset)))
            {
                return new IPEndPoint(_address, port);
            }

            var remote = (IPEndPoint)_template.Create(from);
            _address = null;
            if (bytes.Length == _last.Length)
            {
                bytes.CopyTo(_last);
                _address = remote.Address;
            }

            return remote;
        }
    }

    private static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer[..address.Size].CopyTo(copy.Buffer);
        return copy;
    }
}
