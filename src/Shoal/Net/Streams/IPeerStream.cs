using System.Net;
using Shoal.Swarm;

namespace Shoal.Net.Streams;

/// <summary>
/// An ordered, reliable byte stream to one peer, under the wire protocol: TCP or uTP (BEP 29), plaintext or
/// encrypted (MSE). One reader and one writer may use it at the same time. A transport failure (reset, timeout,
/// refused) is a <see cref="System.Net.Sockets.SocketException"/>; a closed stream throws <see cref="ObjectDisposedException"/>
/// or <see cref="OperationCanceledException"/>, as a socket does.
/// </summary>
internal interface IPeerStream : IDisposable
{
    IPEndPoint Remote { get; }

    PeerTransport Transport { get; }

    /// <summary>Whether the bytes after the handshake are encrypted (MSE with RC4 selected).</summary>
    bool IsEncrypted { get; }

    /// <summary>Bytes a read would return now without waiting; a lower bound is fine.</summary>
    int Available { get; }

    /// <summary>Reads at least one byte into <paramref name="buffer"/>, waiting for them; 0 at the end of the stream.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Completes when a read would not wait (data is there, or the stream ended), holding no buffer meanwhile.</summary>
    ValueTask WaitForDataAsync(CancellationToken cancellationToken);

    /// <summary>Sends every byte of <paramref name="data"/>, in order. The stream may overwrite them (encryption works in place).</summary>
    ValueTask SendAsync(Memory<byte> data, CancellationToken cancellationToken);
}
