namespace Shoal.Net;

/// <summary>How a session uses Message Stream Encryption (MSE/PE) with its peers.</summary>
public enum EncryptionMode
{
    /// <summary>
    /// Dial encrypted first and fall back to plaintext when the peer refuses; accept both. Private torrents (BEP 27) are
    /// served as <see cref="Require"/>: their swarms are small and their users chose privacy.
    /// </summary>
    Prefer,

    /// <summary>Only RC4-encrypted connections, both ways; plaintext peers are refused.</summary>
    Require,

    /// <summary>Plaintext only: no MSE handshake is sent, and an incoming one is refused.</summary>
    Disable,
}
