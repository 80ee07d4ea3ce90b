using Shoal.Metainfo;

namespace Shoal.Net.Encryption;

/// <summary>
/// Finds the torrent an incoming MSE handshake asks for from <c>HASH('req2', SKEY)</c> (20 bytes; see
/// <see cref="MseHandshake.Req2Hash"/>), or returns null when we have none. A v2 hash may be returned whole: the
/// keys use its 20-byte wire form.
/// </summary>
internal delegate InfoHash? SkeyLookup(ReadOnlySpan<byte> req2Hash);

/// <summary>How we open an MSE handshake on a connection we made.</summary>
internal sealed record MseInitiatorOptions
{
    /// <summary>The largest initial payload: its length travels in 16 bits.</summary>
    public const int MaxInitialPayload = ushort.MaxValue;

    /// <summary>The torrent we connect for (SKEY): its info-hash as the BitTorrent handshake carries it (a v2 hash is truncated to 20 bytes).</summary>
    public required InfoHash Skey { get; init; }

    /// <summary>The methods we offer in <c>crypto_provide</c>; the peer picks one.</summary>
    public CryptoMethods Provide { get; init; } = CryptoMethods.Both;

    /// <summary>
    /// The initial payload (IA): sent RC4-encrypted with the handshake, saving a round trip. We put our 68-byte
    /// BitTorrent handshake there, as libtorrent does; at most <see cref="MaxInitialPayload"/> bytes.
    /// </summary>
    public ReadOnlyMemory<byte> InitialPayload { get; init; }

    public MsePadding Padding { get; init; } = MsePadding.Random;

    /// <summary>How long <see cref="MseNegotiator"/> waits for the whole handshake.</summary>
    public TimeSpan Timeout { get; init; } = MseNegotiator.DefaultTimeout;
}

/// <summary>How we answer an MSE handshake on a connection a peer made.</summary>
internal sealed record MseResponderOptions
{
    /// <summary>Finds the torrent the peer asks for; see <see cref="MseHandshake.LookupAmong"/> for a fixed set.</summary>
    public required SkeyLookup FindSkey { get; init; }

    /// <summary>The methods we accept; the handshake fails when the peer offers none of them.</summary>
    public CryptoMethods Allow { get; init; } = CryptoMethods.Both;

    /// <summary>Whether RC4 wins when the peer offers both and we allow both (libtorrent's <c>prefer_rc4</c>); else plaintext does.</summary>
    public bool PreferRc4 { get; init; } = true;

    public MsePadding Padding { get; init; } = MsePadding.Random;

    /// <summary>How long <see cref="MseNegotiator"/> waits for the whole handshake.</summary>
    public TimeSpan Timeout { get; init; } = MseNegotiator.DefaultTimeout;
}

/// <summary>
/// What a finished MSE handshake agreed. With RC4 selected, the ciphers continue the keystreams the handshake used
/// (they are the payload ciphers, one per direction); with plaintext they are null.
/// </summary>
/// <param name="Method">The one method selected: <see cref="CryptoMethods.Plaintext"/> or <see cref="CryptoMethods.Rc4"/>.</param>
/// <param name="InfoHash">The torrent (SKEY): the initiator's own, or the one the responder's lookup found.</param>
/// <param name="InitialPayload">The responder's copy of the initiator's IA, decrypted; empty for the initiator.</param>
/// <param name="Remainder">Bytes that arrived after the handshake, decrypted when RC4 was selected: the start of the stream.</param>
internal sealed record MseResult(
    CryptoMethods Method,
    Rc4? Encryptor,
    Rc4? Decryptor,
    InfoHash InfoHash,
    ReadOnlyMemory<byte> InitialPayload,
    ReadOnlyMemory<byte> Remainder)
{
    public bool IsEncrypted => Method == CryptoMethods.Rc4;
}
