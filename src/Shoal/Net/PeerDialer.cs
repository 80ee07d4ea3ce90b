using System.Net;
using System.Net.Sockets;
using Shoal.Metainfo;
using Shoal.Net.Encryption;
using Shoal.Net.Streams;
using Shoal.Wire;

namespace Shoal.Net;

/// <summary>
/// Opens connections to the peers of one info-hash: a stream from the <see cref="PeerConnector"/>, MSE as
/// <paramref name="encryption"/> says, then the BEP 3 handshakes both ways, all within <see cref="Timeout"/>. With
/// <see cref="EncryptionMode.Prefer"/> a peer that fails the MSE handshake is dialled again in plaintext, and in
/// plaintext alone from then on (libtorrent's fallback). An answer for another info-hash is a
/// <see cref="PeerProtocolException"/>, but for <paramref name="upgrade"/>: BEP 52 lets a peer answer a hybrid's v1
/// handshake with its truncated v2 hash.
/// </summary>
internal sealed class PeerDialer(PeerConnector connector, Handshake ours, EncryptionMode encryption, InfoHash? upgrade = null)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The handshake we send.</summary>
    public Handshake Ours => ours;

    public EncryptionMode Encryption => encryption;

    /// <summary>
    /// The connected stream and the peer's handshake; on failure the stream is closed and the exception thrown.
    /// <paramref name="punch"/> dials as a BEP 55 hole punch (see <see cref="PeerConnector"/>).
    /// </summary>
    public async Task<(IPeerStream Stream, Handshake Remote)> DialAsync(IPEndPoint endPoint, CancellationToken cancellationToken, bool punch = false)
    {
        bool encrypt = encryption == EncryptionMode.Require
            || (encryption == EncryptionMode.Prefer && !connector.PlaintextPeers.Contains(endPoint));
        if (!encrypt)
        {
            return await AttemptAsync(endPoint, encrypt: false, punch, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await AttemptAsync(endPoint, encrypt: true, punch, cancellationToken).ConfigureAwait(false);
        }
        catch (MseException) when (encryption == EncryptionMode.Prefer && !cancellationToken.IsCancellationRequested)
        {
            (IPeerStream Stream, Handshake Remote) plaintext = await AttemptAsync(endPoint, encrypt: false, punch, cancellationToken).ConfigureAwait(false);
            connector.PlaintextPeers.Add(endPoint);
            return plaintext;
        }
    }

    private async Task<(IPeerStream Stream, Handshake Remote)> AttemptAsync(IPEndPoint endPoint, bool encrypt, bool punch, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        IPeerStream stream = await connector.ConnectAsync(endPoint, timeout.Token, punch).ConfigureAwait(false);
        try
        {
            if (encrypt)
            {
                stream = await EncryptAsync(stream, cancellationToken, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await PeerHandshaker.WriteAsync(stream, Ours, timeout.Token).ConfigureAwait(false);
            }

            Handshake remote = await PeerHandshaker.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
            if (!remote.InfoHash.Equals(Ours.InfoHash) && !remote.InfoHash.Equals(upgrade))
            {
                throw new PeerProtocolException("the peer answered for another torrent");
            }

            return (stream, remote);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The MSE handshake, our BitTorrent handshake as its initial payload (as libtorrent sends it). A peer that closes,
    /// resets or stays silent instead is taken as one that does not speak MSE: an <see cref="MseException"/>.
    /// </summary>
    private async Task<IPeerStream> EncryptAsync(IPeerStream stream, CancellationToken cancellationToken, CancellationToken timeout)
    {
        byte[] handshake = new byte[Handshake.Length];
        Ours.WriteTo(handshake);
        var options = new MseInitiatorOptions
        {
            Skey = Ours.InfoHash,
            Provide = encryption == EncryptionMode.Require ? CryptoMethods.Rc4 : CryptoMethods.Both,
            InitialPayload = handshake,
        };
        try
        {
            return await MseNegotiator.InitiateAsync(stream, options, timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new MseException($"the peer did not complete the encryption handshake ({e.Message}): it may not speak MSE");
        }
    }
}
