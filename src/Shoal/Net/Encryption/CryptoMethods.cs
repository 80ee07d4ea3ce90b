namespace Shoal.Net.Encryption;

/// <summary>
/// The methods of MSE's <c>crypto_provide</c> and <c>crypto_select</c> fields (32-bit, big-endian on the wire): what
/// the bytes after the handshake look like. The handshake itself is always RC4-encrypted past the key exchange.
/// </summary>
[Flags]
internal enum CryptoMethods
{
    None = 0,

    /// <summary>The payload stream goes in the clear after an obfuscated handshake.</summary>
    Plaintext = 0x01,

    /// <summary>The payload stream is RC4-encrypted, continuing the keystreams of the handshake.</summary>
    Rc4 = 0x02,

    Both = Plaintext | Rc4,
}
