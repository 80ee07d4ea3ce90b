using System.Net;
using System.Net.Sockets;
using Shoal.Net.Streams;
using Shoal.Swarm;

namespace Shoal.Net.Utp;

/// <summary>
/// A uTP connection (BEP 29) as a peer stream. Reads and writes run on the caller's thread under the connection's
/// gate and send what they make possible at once; waits are woken by the socket's receive loop. A reset, refusal
/// or timeout is a <see cref="SocketException"/>; disposing sends ST_FIN after what was written (the socket keeps
/// the connection until the peer acked it) and stops reading.
/// </summary>
internal sealed class UtpStream : IPeerStream
{
    private readonly UtpConnection _connection;
    private TaskCompletionSource? _readable;
    private TaskCompletionSource? _writable;
    private bool _disposed;

    internal UtpStream(UtpConnection connection, IPEndPoint remote)
    {
        _connection = connection;
        Remote = remote;
        connection.Changed = OnChanged;
    }

    public IPEndPoint Remote { get; }

    public PeerTransport Transport => PeerTransport.Utp;

    public bool IsEncrypted => false;

    public int Available
    {
        get
        {
            lock (_connection.Gate)
            {
                return _connection.Available;
            }
        }
    }

    internal UtpConnection Connection => _connection;

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_connection.Gate)
            {
                ThrowIfUnusable();
                int read = _connection.Read(buffer.Span);
                if (read > 0)
                {
                    _connection.Flush();
                    return read;
                }

                if (_connection.IsEndOfStream || buffer.IsEmpty)
                {
                    return 0;
                }

                ThrowIfFailed();
                wait = (_readable ??= NewWaiter()).Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_connection.Gate)
            {
                ThrowIfUnusable();
                if (_connection.Available > 0 || _connection.IsEndOfStream || _connection.State == UtpState.Failed)
                {
                    return;
                }

                wait = (_readable ??= NewWaiter()).Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask SendAsync(Memory<byte> data, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_connection.Gate)
            {
                ThrowIfUnusable();
                ThrowIfFailed();
                int written = _connection.Write(data.Span);
                data = data[written..];
                _connection.Flush();
                if (data.IsEmpty)
                {
                    return;
                }

                if (!_connection.CanWrite && _connection.State is not (UtpState.Connected or UtpState.SynSent or UtpState.SynReceived))
                {
                    throw new SocketException((int)SocketError.Shutdown);
                }

                wait = (_writable ??= NewWaiter()).Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes once the handshake is done; a refused or timed-out connect throws a <see cref="SocketException"/>.</summary>
    internal async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_connection.Gate)
            {
                ThrowIfFailed();
                if (_connection.State != UtpState.SynSent)
                {
                    return;
                }

                wait = (_writable ??= NewWaiter()).Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        lock (_connection.Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Abandon();
            _connection.Flush();
            OnChanged();
        }
    }

    private static TaskCompletionSource NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void ThrowIfUnusable() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void ThrowIfFailed()
    {
        if (_connection.State == UtpState.Failed)
        {
            ObjectDisposedException.ThrowIf(_connection.Error == SocketError.OperationAborted, this);
            throw new SocketException((int)_connection.Error);
        }
    }

    /// <summary>Called under the gate by the connection: wakes a reader or writer whose wait is over.</summary>
    private void OnChanged()
    {
        bool over = _disposed || _connection.State == UtpState.Failed;
        if (_readable is { } readable && (over || _connection.Available > 0 || _connection.IsEndOfStream))
        {
            _readable = null;
            readable.TrySetResult();
        }

        if (_writable is { } writable && (over || (_connection.State != UtpState.SynSent && _connection.WantsData)))
        {
            _writable = null;
            writable.TrySetResult();
        }
    }
}
