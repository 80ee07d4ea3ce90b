using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Shoal.Metainfo;
using Shoal.Wire;

namespace Shoal.Tests.Session;

/// <summary>A peer on 127.0.0.1 that advertises a torrent's metadata and answers every ut_metadata request with garbage of the right size.</summary>
internal sealed class CorruptMetadataPeer : IAsyncDisposable
{
    private const byte OurMetadataId = 3;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly InfoHashes _hashes;
    private readonly int _size;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _piecesServed;

    public CorruptMetadataPeer(InfoHashes hashes, int size)
    {
        _hashes = hashes;
        _size = size;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int PiecesServed => Volatile.Read(ref _piecesServed);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await using var stream = new NetworkStream(socket);
                byte[] handshake = new byte[Handshake.Length];
                await stream.ReadExactlyAsync(handshake, _stop.Token);
                var ours = new byte[Handshake.Length];
                new Handshake(ReservedBits.MetadataOnly, _hashes.ForWire, new byte[20]).WriteTo(ours);
                var output = new ArrayBufferWriter<byte>();
                output.Write(ours);
                PeerMessageWriter.WriteExtended(output, 0, new ExtensionHandshake
                {
                    Extensions = new Dictionary<string, byte> { [MetadataMessage.ExtensionName] = OurMetadataId },
                    MetadataSize = _size,
                }.Encode());
                await stream.WriteAsync(output.WrittenMemory, _stop.Token);
                byte[] header = new byte[4];
                while (true)
                {
                    await stream.ReadExactlyAsync(header, _stop.Token);
                    byte[] body = new byte[System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header)];
                    await stream.ReadExactlyAsync(body, _stop.Token);
                    if (body.Length < 2 || body[0] != (byte)MessageId.Extended || body[1] != OurMetadataId)
                    {
                        continue;
                    }

                    MetadataMessage request = MetadataMessage.Parse(body.AsMemory(2));
                    int length = Math.Min(MetadataMessage.PieceSize, _size - (request.Piece * MetadataMessage.PieceSize));
                    output.ResetWrittenCount();
                    PeerMessageWriter.WriteExtended(output, LocalExtensionIds.UtMetadata, MetadataMessage.DataPiece(request.Piece, _size, new byte[length]).Encode());
                    await stream.WriteAsync(output.WrittenMemory, _stop.Token);
                    Interlocked.Increment(ref _piecesServed);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or EndOfStreamException)
            {
            }
        }
    }
}
