using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Shoal.Net.Streams;

namespace Shoal.Net;

/// <summary>
/// Opens the byte stream to a peer, before any handshake, as libtorrent chooses: uTP (BEP 29) first where it is on
/// and the peer has not failed it before, TCP joining after <see cref="UtpHeadStart"/> or as soon as uTP fails. The
/// first stream up is the connection and the other is closed, so a peer gets one connection. A peer reached over TCP
/// after its uTP failed or stayed silent is dialled over TCP alone from then on.
/// <para>
/// A hole punch (BEP 55) dials uTP and TCP at once, TCP from <paramref name="listenPort"/> (the
/// <see cref="PeerListener"/> lets other sockets bind it): the peer dials us from its listen port at the same moment,
/// so each router has seen a packet go out to the other before the other's comes in, and crossing SYNs make a
/// TCP simultaneous open. A router that already passed the peer's SYN in hands it to our listener instead.
/// </para>
/// </summary>
internal sealed class PeerConnector(TimeProvider time, bool tcp, Func<IPEndPoint, CancellationToken, Task<IPeerStream>>? utp, int listenPort = 0)
{
    /// <summary>A uTP SYN answered within this long wins without a TCP attempt; an unanswered one costs no more.</summary>
    public static readonly TimeSpan UtpHeadStart = TimeSpan.FromMilliseconds(500);

    private readonly PeerMemory _noUtp = new();

    /// <summary>Peers that failed an MSE handshake and then took a plaintext one: dialled in plaintext from then on.</summary>
    public PeerMemory PlaintextPeers { get; } = new();

    public async Task<IPeerStream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken, bool punch = false)
    {
        if (punch)
        {
            return await PunchAsync(endPoint, cancellationToken).ConfigureAwait(false);
        }

        if (utp is null || (tcp && _noUtp.Contains(endPoint)))
        {
            return tcp
                ? await ConnectTcpAsync(endPoint, cancellationToken).ConfigureAwait(false)
                : throw new SocketException((int)SocketError.ProtocolNotSupported);
        }

        if (!tcp)
        {
            return await utp(endPoint, cancellationToken).ConfigureAwait(false);
        }

        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<IPeerStream> overUtp = utp(endPoint, race.Token);
        await Task.WhenAny(overUtp, Task.Delay(UtpHeadStart, time, cancellationToken)).ConfigureAwait(false);
        if (overUtp.IsCompletedSuccessfully)
        {
            return overUtp.Result;
        }

        IPeerStream stream = await FirstUpAsync(overUtp, ConnectTcpAsync(endPoint, race.Token), race).ConfigureAwait(false);
        if (stream.Transport == Swarm.PeerTransport.Tcp)
        {
            _noUtp.Add(endPoint);
        }

        return stream;
    }

    private async Task<IPeerStream> PunchAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        bool fromListenPort = tcp && listenPort > 0;
        if (utp is not null && fromListenPort)
        {
            using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            return await FirstUpAsync(utp(endPoint, race.Token), ConnectTcpAsync(endPoint, race.Token, listenPort), race).ConfigureAwait(false);
        }

        if (utp is not null)
        {
            return await utp(endPoint, cancellationToken).ConfigureAwait(false);
        }

        return fromListenPort
            ? await ConnectTcpAsync(endPoint, cancellationToken, listenPort).ConfigureAwait(false)
            : throw new SocketException((int)SocketError.ProtocolNotSupported);
    }

    /// <summary>The first of two attempts to succeed; the other is cancelled, and closed should it connect anyway.</summary>
    private static async Task<IPeerStream> FirstUpAsync(Task<IPeerStream> first, Task<IPeerStream> second, CancellationTokenSource race)
    {
        List<Task<IPeerStream>> pending = [first, second];
        Exception? failure = null;
        while (pending.Count > 0)
        {
            Task<IPeerStream> done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (done.IsCompletedSuccessfully)
            {
                await race.CancelAsync().ConfigureAwait(false);
                pending.ForEach(loser => _ = CloseWhenUpAsync(loser));
                return done.Result;
            }

            failure = done.Exception?.InnerException ?? failure ?? new OperationCanceledException();
        }

        ExceptionDispatchInfo.Throw(failure!);
        return null;
    }

    private static async Task CloseWhenUpAsync(Task<IPeerStream> attempt)
    {
        try
        {
            (await attempt.ConfigureAwait(false)).Dispose();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>A TCP connection, from <paramref name="localPort"/> when one is given (0: any).</summary>
    private static async Task<IPeerStream> ConnectTcpAsync(IPEndPoint endPoint, CancellationToken cancellationToken, int localPort = 0)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (localPort != 0)
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(endPoint.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, localPort));
            }

            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new TcpPeerStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
