namespace Shoal.Net;

/// <summary>How a session uses Message Stream Encryption (MSE/PE) with its peers.</summary>
public enum EncryptionMode
{
    /// <summary>
    /// Dial with the MSE handshake first, offering RC4 and plaintext, and fall back to a plain handshake when the peer
    /// refuses it; accept all three. The peer's choice decides the payload: a peer offering both gets plaintext after the
    /// obfuscated handshake, as with libtorrent's defaults, since RC4 costs more CPU than the rest of a transfer.
    /// Private torrents (BEP 27) are served as <see cref="Require"/>: their swarms are small and their users chose privacy.
    /// </summary>
    Prefer,

    /// <summary>Only RC4-encrypted connections, both ways; plaintext peers are refused.</summary>
    Require,

    /// <summary>Plaintext only: no MSE handshake is sent, and an incoming one is refused.</summary>
    Disable,
}
