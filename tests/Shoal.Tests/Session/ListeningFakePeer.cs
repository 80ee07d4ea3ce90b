using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Shoal.Metainfo;
using Shoal.Net.Encryption;
using Shoal.Wire;

namespace Shoal.Tests.Session;

/// <summary>
/// A peer that joins a swarm by dialling one member, telling it (BEP 10 <c>p</c>) where it listens, and
/// records the peer ids of whoever dials it there. It never dials anyone else, so a connection to it is
/// one the other side chose to make.
/// </summary>
internal sealed class ListeningFakePeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly InfoHashes _hashes;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly List<byte[]> _dialledBy = [];

    public ListeningFakePeer(InfoHashes hashes)
    {
        _hashes = hashes;
        _listener.Start();
        _tasks.Add(AcceptAsync());
    }

    public IReadOnlyList<byte[]> DialledBy
    {
        get
        {
            lock (_dialledBy)
            {
                return [.. _dialledBy];
            }
        }
    }

    public void Join(IPEndPoint member) => _tasks.Add(JoinAsync(member));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll(_tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            using Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            byte[] handshake = new byte[Handshake.Length];
            await new NetworkStream(socket).ReadExactlyAsync(handshake, _stop.Token);

            // A plaintext-only peer hangs up on an encryption handshake, as real ones do; the dialler then tries plaintext.
            if (MseNegotiator.LooksLikeBitTorrentHandshake(handshake) && Handshake.TryRead(handshake, out Handshake? remote))
            {
                lock (_dialledBy)
                {
                    _dialledBy.Add(remote!.PeerId.ToArray());
                }
            }
        }
    }

    private async Task JoinAsync(IPEndPoint member)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(member, _stop.Token);
        await using var stream = new NetworkStream(socket);
        var output = new ArrayBufferWriter<byte>();
        byte[] ours = new byte[Handshake.Length];
        new Handshake(ReservedBits.MetadataOnly, _hashes.ForWire, "-FK0000-listening-pe"u8.ToArray()).WriteTo(ours);
        output.Write(ours);
        PeerMessageWriter.WriteExtended(output, 0, new ExtensionHandshake
        {
            Extensions = new Dictionary<string, byte> { [PexMessage.ExtensionName] = 1 },
            ListenPort = (ushort)((IPEndPoint)_listener.LocalEndpoint).Port,
        }.Encode());
        await stream.WriteAsync(output.WrittenMemory, _stop.Token);
        byte[] sink = new byte[64 * 1024];
        while (await stream.ReadAsync(sink, _stop.Token) > 0)
        {
        }
    }
}
