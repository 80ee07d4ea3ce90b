using Shoal.Metainfo;
using Shoal.Net.Streams;
using Shoal.Wire;

namespace Shoal.Net.Encryption;

/// <summary>
/// Tells what a peer that connected to us opens with, by its first bytes: a BitTorrent handshake (plaintext) or an MSE
/// public key, which is random; and answers as the session's <see cref="EncryptionMode"/> allows.
/// </summary>
internal static class IncomingEncryption
{
    /// <summary>
    /// The stream to read the peer's BitTorrent handshake from, and the torrent MSE named (null in plaintext). A plaintext
    /// peer under <see cref="EncryptionMode.Require"/>, an MSE one under <see cref="EncryptionMode.Disable"/>, and a failed
    /// MSE handshake are an <see cref="MseException"/>; the caller closes <paramref name="raw"/> then.
    /// </summary>
    public static async Task<(IPeerStream Stream, InfoHash? Skey)> AcceptAsync(IPeerStream raw, EncryptionMode mode, SkeyLookup findSkey, CancellationToken cancellationToken)
    {
        byte[] first = new byte[MseNegotiator.DetectionLength];
        for (int filled = 0; filled < first.Length;)
        {
            int received = await raw.ReceiveAsync(first.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            filled += received > 0 ? received : throw new PeerProtocolException("the peer closed the connection during the handshake");
        }

        if (MseNegotiator.LooksLikeBitTorrentHandshake(first))
        {
            return mode == EncryptionMode.Require
                ? throw new MseException("the peer speaks plaintext, and encryption is required")
                : (MseStream.Replay(raw, first), null);
        }

        if (mode == EncryptionMode.Disable)
        {
            throw new MseException("the peer opened with an encryption handshake, and encryption is disabled");
        }

        // Under prefer, a peer offering both gets plaintext after the obfuscated handshake, as libtorrent's defaults
        // choose (prefer_rc4 off): RC4 costs more CPU than the rest of a transfer. A peer that offers RC4 alone gets it.
        var options = new MseResponderOptions
        {
            FindSkey = findSkey,
            Allow = mode == EncryptionMode.Require ? CryptoMethods.Rc4 : CryptoMethods.Both,
            PreferRc4 = false,
        };
        MseAccepted accepted = await MseNegotiator.AcceptAsync(raw, first, options, cancellationToken).ConfigureAwait(false);
        return (accepted.Stream, accepted.InfoHash);
    }
}
