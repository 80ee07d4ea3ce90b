using System.Buffers;
using Shoal.Metainfo;
using Shoal.Net.Streams;

namespace Shoal.Net.Encryption;

/// <summary>What an accepted MSE handshake gave.</summary>
/// <param name="Stream">The payload stream; its first bytes are <paramref name="InitialPayload"/>.</param>
/// <param name="InfoHash">The torrent the peer asked for, as the responder's lookup returned it.</param>
/// <param name="InitialPayload">The initiator's IA (usually its BitTorrent handshake), decrypted; the stream returns it too.</param>
internal sealed record MseAccepted(IPeerStream Stream, InfoHash InfoHash, ReadOnlyMemory<byte> InitialPayload);

/// <summary>
/// Runs an <see cref="MseHandshake"/> over an <see cref="IPeerStream"/>, bounded by the options' timeout, and wraps
/// the stream for what follows. On failure (<see cref="MseException"/>, a transport error, cancellation) the inner
/// stream is left to the caller, who closes it.
/// </summary>
internal static class MseNegotiator
{
    /// <summary>As long as a plain BitTorrent handshake may take (<see cref="PeerHandshaker.Timeout"/>).</summary>
    public static readonly TimeSpan DefaultTimeout = PeerHandshaker.Timeout;

    /// <summary>How many first bytes of an incoming connection tell a BitTorrent handshake from MSE.</summary>
    public const int DetectionLength = 20;

    /// <summary>Reads of the handshake are small: messages are at most a few hundred bytes but for the IA.</summary>
    private const int ReadSize = 1024;

    /// <summary>
    /// Whether the first bytes of an incoming connection are a plain BitTorrent handshake (19, then "BitTorrent
    /// protocol") rather than an MSE public key, which is random. Needs <see cref="DetectionLength"/> bytes: reading
    /// that many never waits on an honest peer, whose first message is 68 bytes (BitTorrent) or 96 or more (MSE).
    /// </summary>
    public static bool LooksLikeBitTorrentHandshake(ReadOnlySpan<byte> first) =>
        first.Length >= DetectionLength && first[..DetectionLength].SequenceEqual("\u0013BitTorrent protocol"u8);

    /// <summary>Encrypts a connection we opened; the stream returned is RC4-encrypted or plaintext, as the peer selected.</summary>
    public static async Task<IPeerStream> InitiateAsync(IPeerStream inner, MseInitiatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        MseHandshake handshake = MseHandshake.Initiate(options);
        MseResult result = await RunAsync(inner, handshake, ReadOnlyMemory<byte>.Empty, options.Timeout, cancellationToken).ConfigureAwait(false);
        return MseStream.After(inner, result);
    }

    /// <summary>
    /// Answers the MSE handshake on a connection a peer opened, whose first bytes (<paramref name="alreadyRead"/>,
    /// read to tell it from a plain BitTorrent handshake) are the start of its public key.
    /// </summary>
    public static async Task<MseAccepted> AcceptAsync(
        IPeerStream inner, ReadOnlyMemory<byte> alreadyRead, MseResponderOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        MseHandshake handshake = MseHandshake.Respond(options);
        MseResult result = await RunAsync(inner, handshake, alreadyRead, options.Timeout, cancellationToken).ConfigureAwait(false);
        return new MseAccepted(MseStream.After(inner, result), result.InfoHash, result.InitialPayload);
    }

    private static async Task<MseResult> RunAsync(
        IPeerStream inner, MseHandshake handshake, ReadOnlyMemory<byte> alreadyRead, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            if (!alreadyRead.IsEmpty)
            {
                handshake.Receive(alreadyRead.Span);
            }

            while (true)
            {
                byte[] output = handshake.TakeOutput();
                if (output.Length > 0)
                {
                    await inner.SendAsync(output, deadline.Token).ConfigureAwait(false);
                }

                if (handshake.Result is { } result)
                {
                    return result;
                }

                int received = await inner.ReceiveAsync(buffer.AsMemory(0, ReadSize), deadline.Token).ConfigureAwait(false);
                if (received == 0)
                {
                    handshake.OnEndOfStream();
                }

                handshake.Receive(buffer.AsSpan(0, received));
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MseException($"the peer did not finish the encryption handshake within {timeout.TotalSeconds:0.#} s (we waited for {handshake.Waiting})");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
