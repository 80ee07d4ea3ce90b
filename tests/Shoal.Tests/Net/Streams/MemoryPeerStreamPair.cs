using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Shoal.Net.Streams;
using Shoal.Swarm;

namespace Shoal.Tests.Net.Streams;

/// <summary>
/// Two connected in-memory <see cref="IPeerStream"/> ends, as a TCP connection between two peers would be, for
/// tests of whatever runs over the seam. Sends never wait (each direction is an unbounded queue of copies);
/// reads may be cut into small pieces, to prove a reader copes with bytes split anywhere. Disposing one end is
/// closing the connection: the other reads what was sent, then 0; its sends fail with a reset.
/// </summary>
internal static class MemoryPeerStreamPair
{
    /// <summary>
    /// A connected pair: <c>A</c> at 127.0.0.1:6881, <c>B</c> at 127.0.0.1:6882 (each one's <c>Remote</c> is the other).
    /// <paramref name="readLimit"/>, when given, caps each read at the count it returns for the bytes available
    /// (1 for one byte at a time); it is called under no lock and must be safe to share between the two ends.
    /// </summary>
    public static (MemoryPeerStream A, MemoryPeerStream B) Create(Func<int, int>? readLimit = null, PeerTransport transport = PeerTransport.Tcp)
    {
        var toA = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        var toB = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        var endA = new IPEndPoint(IPAddress.Loopback, 6881);
        var endB = new IPEndPoint(IPAddress.Loopback, 6882);
        var a = new MemoryPeerStream(toA, toB, endB, transport, readLimit);
        var b = new MemoryPeerStream(toB, toA, endA, transport, readLimit);
        return (a, b);
    }

    /// <summary>A pair whose reads return a random number of the bytes available, from <paramref name="random"/> (seeded by the test).</summary>
    public static (MemoryPeerStream A, MemoryPeerStream B) CreateRandomlySplit(Random random)
    {
        var gate = new Lock();
        return Create(available =>
        {
            lock (gate)
            {
                return random.Next(1, available + 1);
            }
        });
    }
}

/// <summary>One end of a <see cref="MemoryPeerStreamPair"/>.</summary>
internal sealed class MemoryPeerStream : IPeerStream
{
    private readonly Channel<byte[]> _incoming;
    private readonly Channel<byte[]> _outgoing;
    private readonly Func<int, int>? _readLimit;
    private byte[] _current = [];
    private int _currentOffset;
    private long _bytesSent;
    private volatile bool _disposed;
    private volatile bool _shutDown;

    internal MemoryPeerStream(Channel<byte[]> incoming, Channel<byte[]> outgoing, IPEndPoint remote, PeerTransport transport, Func<int, int>? readLimit)
    {
        _incoming = incoming;
        _outgoing = outgoing;
        Remote = remote;
        Transport = transport;
        _readLimit = readLimit;
    }

    public IPEndPoint Remote { get; }

    public PeerTransport Transport { get; }

    public bool IsEncrypted => false;

    public int Available
    {
        get
        {
            int current = _current.Length - _currentOffset;
            return current > 0 ? current : _incoming.Reader.TryPeek(out byte[]? next) ? next.Length : 0;
        }
    }

    /// <summary>How many bytes this end has sent so far.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_currentOffset == _current.Length)
        {
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return 0;
            }

            if (_incoming.Reader.TryRead(out byte[]? next))
            {
                _current = next;
                _currentOffset = 0;
            }
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        int available = Math.Min(buffer.Length, _current.Length - _currentOffset);
        int count = _readLimit is null ? available : Math.Clamp(_readLimit(available), 1, available);
        _current.AsSpan(_currentOffset, count).CopyTo(buffer.Span);
        _currentOffset += count;
        return count;
    }

    public async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_currentOffset < _current.Length)
        {
            return;
        }

        // False when the stream ended: a read would not wait either, it returns 0.
        await _incoming.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask SendAsync(Memory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (data.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        // A copy: the caller may reuse its buffer once the send completes, as with a socket.
        if (!_outgoing.Writer.TryWrite(data.ToArray()))
        {
            throw _shutDown ? new SocketException((int)SocketError.Shutdown) : new SocketException((int)SocketError.ConnectionReset);
        }

        Interlocked.Add(ref _bytesSent, data.Length);
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops sending (TCP's half-close): the other end reads what was already sent, then 0; this end still reads.</summary>
    public void ShutdownSend()
    {
        _shutDown = true;
        _outgoing.Writer.TryComplete();
    }

    /// <summary>Closes this end: the other end reads what was already sent, then 0, and its sends fail with a reset.</summary>
    public void Dispose()
    {
        _disposed = true;
        _outgoing.Writer.TryComplete();
        _incoming.Writer.TryComplete();
    }
}
