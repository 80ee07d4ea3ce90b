using System.Net;
using System.Net.Sockets;
using Shoal.Net;
using Shoal.Net.Streams;
using Shoal.Swarm;

namespace Shoal.Tests.Net;

public sealed class PeerConnectorTests : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly ManualTimeProvider _time = new();

    public PeerConnectorTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(8);
    }

    private IPEndPoint Peer => (IPEndPoint)_listener.LocalEndPoint!;

    [Fact]
    public async Task A_peer_answering_utp_is_connected_over_utp_without_a_tcp_attempt()
    {
        var connector = new PeerConnector(_time, tcp: true, (endPoint, _) => Task.FromResult<IPeerStream>(new UtpStandIn(endPoint)));

        using IPeerStream stream = await connector.ConnectAsync(Peer, CancellationToken.None);

        Assert.Equal(PeerTransport.Utp, stream.Transport);
        Assert.False(_listener.Poll(100_000, SelectMode.SelectRead), "a TCP connection was opened too");
    }

    [Fact]
    public async Task A_silent_utp_peer_gets_tcp_after_the_head_start_and_tcp_alone_from_then_on()
    {
        int utpAttempts = 0;
        var connector = new PeerConnector(_time, tcp: true, async (_, cancellationToken) =>
        {
            Interlocked.Increment(ref utpAttempts);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new System.Diagnostics.UnreachableException();
        });

        Task<IPeerStream> connecting = connector.ConnectAsync(Peer, CancellationToken.None);
        Assert.False(_listener.Poll(100_000, SelectMode.SelectRead), "TCP did not wait for uTP's head start");
        _time.Advance(PeerConnector.UtpHeadStart);
        using (IPeerStream first = await connecting)
        {
            Assert.Equal(PeerTransport.Tcp, first.Transport);
        }

        using IPeerStream second = await connector.ConnectAsync(Peer, CancellationToken.None);
        Assert.Equal(PeerTransport.Tcp, second.Transport);
        Assert.Equal(1, utpAttempts);
    }

    [Fact]
    public async Task A_refused_utp_attempt_gets_tcp_at_once()
    {
        var connector = new PeerConnector(_time, tcp: true, (_, _) => Task.FromException<IPeerStream>(new SocketException((int)SocketError.ConnectionReset)));

        // The clock never moves: TCP must not wait for the head start.
        using IPeerStream stream = await connector.ConnectAsync(Peer, CancellationToken.None);

        Assert.Equal(PeerTransport.Tcp, stream.Transport);
    }

    [Fact]
    public async Task Without_tcp_a_refused_utp_attempt_is_the_failure()
    {
        var connector = new PeerConnector(_time, tcp: false, (_, _) => Task.FromException<IPeerStream>(new SocketException((int)SocketError.ConnectionReset)));

        SocketException refused = await Assert.ThrowsAsync<SocketException>(() => connector.ConnectAsync(Peer, CancellationToken.None));

        Assert.Equal(SocketError.ConnectionReset, refused.SocketErrorCode);
        Assert.False(_listener.Poll(100_000, SelectMode.SelectRead), "a TCP connection was opened with TCP off");
    }

    /// <summary>
    /// BEP 55: a punch does not give uTP a head start, and its TCP attempt leaves from our listen port (bound beside our
    /// listener), so its SYN and the peer's, sent from its listen port, cross as a simultaneous open.
    /// </summary>
    [Fact]
    public async Task A_punch_dials_tcp_at_once_from_the_listen_port()
    {
        using var ours = new PeerListener(new IPEndPoint(IPAddress.Loopback, 0));
        var connector = new PeerConnector(_time, tcp: true, async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new System.Diagnostics.UnreachableException();
        }, ours.LocalEndPoint.Port);

        using IPeerStream stream = await connector.ConnectAsync(Peer, CancellationToken.None, punch: true);
        using Socket accepted = await _listener.AcceptAsync();

        Assert.Equal(PeerTransport.Tcp, stream.Transport);
        Assert.Equal(ours.LocalEndPoint.Port, ((IPEndPoint)accepted.RemoteEndPoint!).Port);
    }

    public void Dispose() => _listener.Dispose();

    private sealed class UtpStandIn(IPEndPoint remote) : IPeerStream
    {
        public IPEndPoint Remote => remote;

        public PeerTransport Transport => PeerTransport.Utp;

        public bool IsEncrypted => false;

        public int Available => 0;

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => ValueTask.FromResult(0);

        public ValueTask WaitForDataAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask SendAsync(Memory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Dispose()
        {
        }
    }
}
