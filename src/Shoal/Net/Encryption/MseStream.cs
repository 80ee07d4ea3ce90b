using System.Net;
using Shoal.Net.Streams;
using Shoal.Swarm;

namespace Shoal.Net.Encryption;

/// <summary>
/// A peer stream after the MSE handshake: bytes the handshake already received (its remainder, and for the
/// responder the initial payload) come first, then the inner stream's, decrypted in place; sends are encrypted in
/// place (as <see cref="IPeerStream.SendAsync"/> allows). Without ciphers (plaintext selected, or
/// <see cref="Replay"/>) it only returns the bytes already read before the inner stream's, so nothing read to
/// tell MSE from a plain BitTorrent handshake is lost.
/// </summary>
internal sealed class MseStream : IPeerStream
{
    private readonly IPeerStream _inner;
    private readonly Rc4? _decryptor;
    private readonly Rc4? _encryptor;
    /// <summary>Bytes read before this stream existed, returned first; let go once returned (the IA can be 64 KiB).</summary>
    private volatile byte[] _pending;
    private volatile int _pendingOffset;

    private MseStream(IPeerStream inner, Rc4? decryptor, Rc4? encryptor, byte[] pending)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _decryptor = decryptor;
        _encryptor = encryptor;
        _pending = pending;
    }

    public IPEndPoint Remote => _inner.Remote;

    public PeerTransport Transport => _inner.Transport;

    public bool IsEncrypted => _encryptor is not null;

    /// <summary>The pending bytes (read racing a receive: never below 0) and the inner stream's.</summary>
    public int Available => Math.Max(0, _pending.Length - _pendingOffset) + _inner.Available;

    /// <summary>
    /// The stream that continues <paramref name="inner"/> after <paramref name="handshake"/>. It first returns the
    /// initial payload the handshake carried (the responder's side: the initiator's BitTorrent handshake, usually),
    /// then the handshake's remainder, then the inner stream: the payload stream whole, in order.
    /// </summary>
    public static MseStream After(IPeerStream inner, MseResult handshake)
    {
        ArgumentNullException.ThrowIfNull(handshake);
        byte[] pending = [.. handshake.InitialPayload.Span, .. handshake.Remainder.Span];
        return new MseStream(inner, handshake.Decryptor, handshake.Encryptor, pending);
    }

    /// <summary>A plaintext stream that first returns <paramref name="alreadyRead"/>, then <paramref name="inner"/>'s bytes.</summary>
    public static MseStream Replay(IPeerStream inner, ReadOnlySpan<byte> alreadyRead) => new(inner, null, null, alreadyRead.ToArray());

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[] pending = _pending;
        int offset = _pendingOffset;
        if (offset < pending.Length && !buffer.IsEmpty)
        {
            int count = Math.Min(buffer.Length, pending.Length - offset);
            pending.AsSpan(offset, count).CopyTo(buffer.Span);
            if (offset + count == pending.Length)
            {
                _pending = [];
                _pendingOffset = 0;
            }
            else
            {
                _pendingOffset = offset + count;
            }

            return count;
        }

        int received = await _inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        _decryptor?.Apply(buffer.Span[..received]);
        return received;
    }

    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) =>
        _pendingOffset < _pending.Length ? ValueTask.CompletedTask : _inner.WaitForDataAsync(cancellationToken);

    public ValueTask SendAsync(Memory<byte> data, CancellationToken cancellationToken)
    {
        _encryptor?.Apply(data.Span);
        return _inner.SendAsync(data, cancellationToken);
    }

    public void Dispose() => _inner.Dispose();
}
