using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Interop.Tests;

/// <summary>
/// Many connections to one peer that do what an idle peer does: the BitTorrent handshake, an extension handshake
/// and have-none, then nothing but a keep-alive now and then, reading (and dropping) whatever comes. Each opens from
/// a loopback address of 127.1.0.0/16, a few a address, so that a per-address limit lets them in.
/// </summary>
public sealed class IdlePeers : IAsyncDisposable
{
    // Well within the 150 s a peer may stay silent before it is dropped as idle.
    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(40);

    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _readers = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _keepAlive = Task.CompletedTask;
    private int _closedByPeer;

    /// <summary>Connections that completed both handshakes.</summary>
    public int Opened => _sockets.Count;

    /// <summary>Connections the other side has closed since.</summary>
    public int ClosedByPeer => Volatile.Read(ref _closedByPeer);

    /// <summary>Connections the peer refused before its handshake (at a connection limit, say).</summary>
    public int Refused { get; private set; }

    /// <summary>Opens <paramref name="count"/> connections to 127.0.0.1:<paramref name="port"/> for <paramref name="infoHash"/>, <paramref name="perAddress"/> from each address.</summary>
    public static async Task<IdlePeers> OpenAsync(int port, InfoHash infoHash, int count, int perAddress, TimeSpan timeout)
    {
        var peers = new IdlePeers();
        using var deadline = new CancellationTokenSource(timeout);
        using var concurrency = new SemaphoreSlim(32);
        var target = new IPEndPoint(IPAddress.Loopback, port);
        Task<Socket?>[] opening = [.. Enumerable.Range(0, count).Select(async i =>
        {
            await concurrency.WaitAsync(deadline.Token);
            try
            {
                return await ConnectAsync(target, AddressOf(i / perAddress), infoHash, i, deadline.Token);
            }
            finally
            {
                concurrency.Release();
            }
        })];

        foreach (Socket? socket in await Task.WhenAll(opening))
        {
            if (socket is null)
            {
                peers.Refused++;
                continue;
            }

            peers._sockets.Add(socket);
            peers._readers.Add(peers.DrainAsync(socket));
        }

        peers._keepAlive = peers.KeepAliveAsync(peers._stop.Token);
        return peers;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll([.. _readers, _keepAlive]);
        _stop.Dispose();
    }

    /// <summary>127.1.x.y: 250 addresses for each x.</summary>
    private static IPAddress AddressOf(int n) => new([127, 1, (byte)(n / 250), (byte)((n % 250) + 1)]);

    private static async Task<Socket?> ConnectAsync(IPEndPoint target, IPAddress from, InfoHash infoHash, int number, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(target, cancellationToken);
            byte[] peerId = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"-ID0001-{number:D12}"));
            byte[] hello = new byte[Handshake.Length];
            new Handshake(ReservedBits.Shoal, infoHash, peerId).WriteTo(hello);
            await socket.SendAsync(hello, SocketFlags.None, cancellationToken);

            byte[] answer = new byte[Handshake.Length];
            for (int filled = 0; filled < answer.Length;)
            {
                int received = await socket.ReceiveAsync(answer.AsMemory(filled), SocketFlags.None, cancellationToken);
                if (received == 0)
                {
                    socket.Dispose();
                    return null;
                }

                filled += received;
            }

            Assert.True(Handshake.TryRead(answer, out Handshake? theirs) && theirs!.InfoHash.Equals(infoHash), "the peer answered for another torrent");

            var messages = new ArrayBufferWriter<byte>();
            PeerMessageWriter.WriteExtended(messages, 0, new ExtensionHandshake { Client = "idle peer" }.Encode());
            PeerMessageWriter.WriteSimple(messages, MessageId.HaveNone);
            await socket.SendAsync(messages.WrittenMemory, SocketFlags.None, cancellationToken);
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    private async Task DrainAsync(Socket socket)
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
            {
            }

            Interlocked.Increment(ref _closedByPeer);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _closedByPeer);
            }
        }
    }

    private async Task KeepAliveAsync(CancellationToken stop)
    {
        byte[] keepAlive = new byte[4];
        try
        {
            while (true)
            {
                await Task.Delay(KeepAliveEvery, stop);
                foreach (Socket socket in _sockets)
                {
                    try
                    {
                        await socket.SendAsync(keepAlive, SocketFlags.None, stop);
                    }
                    catch (SocketException)
                    {
                        // Closed by the peer: its reader has counted it.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
