using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using Shoal.Metainfo;

namespace Shoal.Net.Encryption;

/// <summary>
/// The Message Stream Encryption handshake (Vuze's "Message Stream Encryption" spec, the "PE" of libtorrent,
/// qBittorrent and Transmission), for either end, without I/O: feed it what the peer sent with
/// <see cref="Receive"/>, send what <see cref="TakeOutput"/> returns, and read <see cref="Result"/> once it is done.
/// Failures throw <see cref="MseException"/>.
/// </summary>
/// <remarks>
/// <para>The exchange, A the initiator and B the responder, S the Diffie-Hellman secret, SKEY the info-hash:</para>
/// <code>
/// 1 A->B: Ya, PadA
/// 2 B->A: Yb, PadB
/// 3 A->B: HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
///         ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA)
/// 4 B->A: ENCRYPT(VC, crypto_select, len(PadD), PadD), ENCRYPT2(payload)
/// 5 A->B: ENCRYPT2(payload)
/// </code>
/// <para>
/// The paddings have random lengths (0 to 512), so neither end knows where the next field starts: B finds
/// <c>HASH('req1', S)</c> by searching the bytes after Ya, and A finds the encrypted VC (8 zero bytes under B's
/// keystream) by searching the bytes after Yb. The spec bounds both searches: the hash ends within
/// 96 + 512 + 20 = 628 bytes of B's input, the VC within 96 + 512 + 8 = 616 bytes of A's; anything longer is garbage.
/// Every buffer here has such a bound, the largest being the initial payload's 16-bit length.
/// </para>
/// <para>
/// ENCRYPT is RC4 keyed with <c>HASH('keyA', S, SKEY)</c> from A and <c>HASH('keyB', S, SKEY)</c> from B, the
/// first 1024 bytes of keystream discarded. ENCRYPT2 is the selected method: RC4 continuing the same keystreams, or
/// nothing. The IA always goes under ENCRYPT: A sends it before it knows what B selects.
/// </para>
/// </remarks>
internal sealed class MseHandshake
{
    /// <summary>A Diffie-Hellman public key and the shared secret on the wire: 768 bits, big-endian.</summary>
    public const int KeyLength = 96;

    /// <summary>The longest padding (each of PadA to PadD).</summary>
    public const int MaxPadding = 512;

    /// <summary>The verification constant: 8 zero bytes, encrypted.</summary>
    public const int VcLength = 8;

    /// <summary>How far into its input the responder looks for <c>HASH('req1', S)</c>: Ya, the longest PadA, the hash.</summary>
    public const int Req1SearchBound = KeyLength + MaxPadding + HashLength;

    /// <summary>How far into its input the initiator looks for the encrypted VC: Yb, the longest PadB, the VC.</summary>
    public const int VcSearchBound = KeyLength + MaxPadding + VcLength;

    private const int HashLength = 20;

    /// <summary>VC, crypto_provide or crypto_select, len(Pad).</summary>
    private const int CryptoHeaderLength = VcLength + 4 + 2;

    /// <summary>The spec's 768-bit safe prime P; the generator G is 2.</summary>
    private static readonly BigInteger Prime = new(
        Convert.FromHexString(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563"),
        isUnsigned: true,
        isBigEndian: true);

    private static readonly BigInteger Generator = 2;

    private readonly MseInitiatorOptions? _initiator;
    private readonly MseResponderOptions? _responder;

    /// <summary>Our Diffie-Hellman private key: 160 random bits, as the spec asks.</summary>
    private readonly BigInteger _privateKey;

    private Step _step;

    /// <summary>The fixed-length field being gathered and how much of it has arrived.</summary>
    private byte[] _field = new byte[KeyLength];
    private int _fieldNeed;
    private int _fieldHave;

    /// <summary>The bytes searched for the synchronisation pattern (the req1 hash or the encrypted VC), padding before it.</summary>
    private byte[] _window = [];
    private int _windowHave;
    private byte[] _syncPattern = [];

    private byte[] _secret = [];
    private Rc4? _encryptor;
    private Rc4? _decryptor;
    private InfoHash? _infoHash;
    private CryptoMethods _selected;
    private byte[] _initialPayload = [];
    private byte[] _output = [];
    private bool _failed;

    private MseHandshake(MseInitiatorOptions? initiator, MseResponderOptions? responder)
    {
        _initiator = initiator;
        _responder = responder;
        Span<byte> random = stackalloc byte[HashLength];
        do
        {
            RandomNumberGenerator.Fill(random);
            _privateKey = new BigInteger(random, isUnsigned: true, isBigEndian: true);
        }
        while (_privateKey.IsZero);

        Expect(Step.PeerKey, KeyLength);
    }

    private enum Step
    {
        /// <summary>The peer's public key: Yb for the initiator, Ya for the responder.</summary>
        PeerKey,

        /// <summary>Responder: searching for <c>HASH('req1', S)</c> after PadA.</summary>
        Req1,

        /// <summary>Responder: <c>HASH('req2', SKEY) xor HASH('req3', S)</c>.</summary>
        Skey,

        /// <summary>Responder: ENCRYPT(VC, crypto_provide, len(PadC)).</summary>
        Provide,

        /// <summary>Responder: ENCRYPT(PadC, len(IA)).</summary>
        PadCAndIaLength,

        /// <summary>Responder: ENCRYPT(IA).</summary>
        InitialPayload,

        /// <summary>Initiator: searching for ENCRYPT(VC) after PadB.</summary>
        Vc,

        /// <summary>Initiator: ENCRYPT(crypto_select, len(PadD)).</summary>
        Select,

        /// <summary>Initiator: ENCRYPT(PadD).</summary>
        PadD,

        Done,
    }

    public bool IsInitiator => _initiator is not null;

    /// <summary>What the handshake agreed, once it is done; null until then.</summary>
    public MseResult? Result { get; private set; }

    /// <summary>What the handshake waits for, in words, for error messages.</summary>
    public string Waiting => _step switch
    {
        Step.PeerKey => "the peer's public key",
        Step.Req1 => "the peer's req1 hash",
        Step.Skey => "the peer's torrent hash",
        Step.Provide => "the peer's crypto_provide",
        Step.PadCAndIaLength => "the peer's PadC",
        Step.InitialPayload => "the peer's initial payload",
        Step.Vc => "the peer's verification constant",
        Step.Select => "the peer's crypto_select",
        Step.PadD => "the peer's PadD",
        _ => "nothing",
    };

    /// <summary>Starts a handshake on a connection we opened; its first message (Ya, PadA) is ready in <see cref="TakeOutput"/>.</summary>
    public static MseHandshake Initiate(MseInitiatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Skey.Truncated.Length != InfoHash.V1Length)
        {
            throw new ArgumentException("the SKEY is a 20-byte info-hash", nameof(options));
        }

        if (options.Provide == CryptoMethods.None || (options.Provide & ~CryptoMethods.Both) != 0)
        {
            throw new ArgumentException($"crypto_provide must offer plaintext, RC4 or both, not {options.Provide}", nameof(options));
        }

        if (options.InitialPayload.Length > MseInitiatorOptions.MaxInitialPayload)
        {
            throw new ArgumentException($"the initial payload is at most {MseInitiatorOptions.MaxInitialPayload} bytes", nameof(options));
        }

        var handshake = new MseHandshake(options, null);
        handshake.QueuePublicKey();
        return handshake;
    }

    /// <summary>Starts answering a handshake on a connection a peer opened; nothing is sent until the peer's key has arrived.</summary>
    public static MseHandshake Respond(MseResponderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.FindSkey);
        if ((options.Allow & CryptoMethods.Both) == CryptoMethods.None || (options.Allow & ~CryptoMethods.Both) != 0)
        {
            throw new ArgumentException($"a responder must allow plaintext, RC4 or both, not {options.Allow}", nameof(options));
        }

        return new MseHandshake(null, options);
    }

    /// <summary>
    /// <c>HASH('req2', SKEY)</c> of a torrent (its 20-byte wire hash): what an initiator asking for it sends, masked.
    /// A session computes it once for each of its torrents' wire hashes to answer <see cref="SkeyLookup"/>.
    /// </summary>
    public static byte[] Req2Hash(InfoHash infoHash)
    {
        ArgumentNullException.ThrowIfNull(infoHash);
        return Hash("req2"u8, infoHash.Truncated.Span);
    }

    /// <summary>A lookup among a fixed set of torrents, by the <see cref="Req2Hash"/> of each one's wire hash.</summary>
    public static SkeyLookup LookupAmong(IEnumerable<InfoHash> infoHashes)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        var byReq2 = new Dictionary<string, InfoHash>(StringComparer.Ordinal);
        foreach (InfoHash infoHash in infoHashes)
        {
            byReq2.TryAdd(Convert.ToHexString(Req2Hash(infoHash)), infoHash);
        }

        return req2 => byReq2.GetValueOrDefault(Convert.ToHexString(req2));
    }

    /// <summary>The bytes to send now (empty when there are none); each message is returned once.</summary>
    public byte[] TakeOutput()
    {
        byte[] output = _output;
        _output = [];
        return output;
    }

    /// <summary>
    /// Takes bytes the peer sent, in order, in pieces of any size. Bytes past the end of the handshake go to
    /// <see cref="MseResult.Remainder"/>, decrypted when RC4 was selected. Throws <see cref="MseException"/> when the
    /// peer breaks the protocol; the handshake is then over.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> input)
    {
        if (_failed || Result is not null)
        {
            throw new InvalidOperationException(_failed ? "the handshake has failed" : "the handshake is done: later bytes belong to the stream");
        }

        try
        {
            while (!input.IsEmpty && _step != Step.Done)
            {
                input = _step is Step.Req1 or Step.Vc ? Search(input) : Gather(input);
            }

            if (_step == Step.Done)
            {
                Finish(input);
            }
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>The peer closed the connection: unless the handshake is done, it failed.</summary>
    public void OnEndOfStream()
    {
        if (Result is null)
        {
            _failed = true;
            throw new MseException($"the encryption handshake ended early: the peer closed the connection while we waited for {Waiting}");
        }
    }

    private ReadOnlySpan<byte> Gather(ReadOnlySpan<byte> input)
    {
        int take = Math.Min(_fieldNeed - _fieldHave, input.Length);
        input[..take].CopyTo(_field.AsSpan(_fieldHave));
        _fieldHave += take;

        // A peer that speaks no MSE may answer our key with its own plain handshake: fail now, not at the timeout.
        if (_step == Step.PeerKey && IsInitiator && _fieldHave >= MseNegotiator.DetectionLength
            && _fieldHave - take < MseNegotiator.DetectionLength && MseNegotiator.LooksLikeBitTorrentHandshake(_field))
        {
            throw new MseException("the peer answered with a plaintext BitTorrent handshake: it does not speak MSE");
        }

        if (_fieldHave == _fieldNeed)
        {
            OnField(_field.AsSpan(0, _fieldNeed));
        }

        return input[take..];
    }

    /// <summary>
    /// Looks for the synchronisation pattern in the padding's wake. Only what fits in the window is taken; the part
    /// of <paramref name="input"/> after the pattern is returned for the next field.
    /// </summary>
    private ReadOnlySpan<byte> Search(ReadOnlySpan<byte> input)
    {
        int before = _windowHave;
        int take = Math.Min(input.Length, _window.Length - before);
        input[..take].CopyTo(_window.AsSpan(before));
        _windowHave += take;

        // Only positions that include a new byte can match: earlier ones were searched before.
        int from = Math.Max(0, before - _syncPattern.Length + 1);
        int found = _window.AsSpan(from, _windowHave - from).IndexOf(_syncPattern);
        if (found >= 0)
        {
            int end = from + found + _syncPattern.Length;
            OnSynchronised();
            return input[(end - before)..];
        }

        if (_windowHave == _window.Length)
        {
            throw _step == Step.Req1
                ? new MseException($"the peer sent garbage: no req1 hash within {Req1SearchBound} bytes (not an MSE peer, or a broken one)")
                : new MseException($"the peer sent garbage: no verification constant within {VcSearchBound} bytes (not an MSE peer, or a broken one)");
        }

        return input[take..];
    }

    private void OnSynchronised()
    {
        _window = [];
        if (_step == Step.Req1)
        {
            Expect(Step.Skey, HashLength);
        }
        else
        {
            Expect(Step.Select, 4 + 2);
        }
    }

    private void OnField(Span<byte> field)
    {
        switch (_step)
        {
            case Step.PeerKey:
                OnPeerKey(field);
                break;
            case Step.Skey:
                OnSkey(field);
                break;
            case Step.Provide:
                OnProvide(field);
                break;
            case Step.PadCAndIaLength:
                _decryptor!.Apply(field);
                Expect(Step.InitialPayload, BinaryPrimitives.ReadUInt16BigEndian(field[^2..]));
                break;
            case Step.InitialPayload:
                _decryptor!.Apply(field);
                _initialPayload = field.ToArray();
                _step = Step.Done;
                break;
            case Step.Select:
                OnSelect(field);
                break;
            case Step.PadD:
                _decryptor!.Apply(field);
                _step = Step.Done;
                break;
            default:
                throw new InvalidOperationException($"no field is expected in step {_step}");
        }
    }

    private void OnPeerKey(ReadOnlySpan<byte> field)
    {
        var peerKey = new BigInteger(field, isUnsigned: true, isBigEndian: true);

        // 1 and P-1 (and anything out of range) would give a secret an observer knows; no honest peer sends them.
        if (peerKey <= BigInteger.One || peerKey >= Prime - BigInteger.One)
        {
            throw new MseException("the peer sent an invalid Diffie-Hellman key (not an MSE peer, or a broken one)");
        }

        _secret = new byte[KeyLength];
        WriteKey(BigInteger.ModPow(peerKey, _privateKey, Prime), _secret);
        if (_initiator is { } options)
        {
            SendRequest(options);
            StartSearch(Step.Vc, VcSearchBound - KeyLength, EncryptedVc());
        }
        else
        {
            QueuePublicKey();
            StartSearch(Step.Req1, Req1SearchBound - KeyLength, Hash("req1"u8, _secret));
        }
    }

    /// <summary>Initiator, message 3: the sync hash, the masked SKEY hash, the crypto header and the initial payload.</summary>
    private void SendRequest(MseInitiatorOptions options)
    {
        ReadOnlySpan<byte> skey = options.Skey.Truncated.Span;
        _infoHash = options.Skey;
        CreateCiphers(skey, initiator: true);

        int padding = PaddingLength(options.Padding);
        ReadOnlySpan<byte> payload = options.InitialPayload.Span;
        byte[] message = new byte[HashLength + HashLength + CryptoHeaderLength + padding + 2 + payload.Length];
        Span<byte> rest = message;
        Hash("req1"u8, _secret).CopyTo(rest);
        rest = rest[HashLength..];
        byte[] req2 = Hash("req2"u8, skey);
        byte[] req3 = Hash("req3"u8, _secret);
        for (int n = 0; n < HashLength; n++)
        {
            rest[n] = (byte)(req2[n] ^ req3[n]);
        }

        rest = rest[HashLength..];
        WriteCryptoHeader(rest, options.Provide, padding);
        BinaryPrimitives.WriteUInt16BigEndian(rest[(CryptoHeaderLength + padding)..], (ushort)payload.Length);
        payload.CopyTo(rest[(CryptoHeaderLength + padding + 2)..]);
        _encryptor!.Apply(rest);
        Queue(message);
    }

    /// <summary>The VC as B's keystream encrypts it: what A searches for. Computing it advances A's decryptor past the VC.</summary>
    private byte[] EncryptedVc()
    {
        byte[] vc = new byte[VcLength];
        _decryptor!.Apply(vc);
        return vc;
    }

    /// <summary>Responder: the initiator's masked hash names the torrent, which gives the keys.</summary>
    private void OnSkey(ReadOnlySpan<byte> field)
    {
        byte[] req2 = Hash("req3"u8, _secret);
        for (int n = 0; n < HashLength; n++)
        {
            req2[n] ^= field[n];
        }

        InfoHash? infoHash = _responder!.FindSkey(req2);
        if (infoHash is null || infoHash.Truncated.Length != InfoHash.V1Length)
        {
            throw new MseException("unknown info-hash: the peer asked for a torrent we do not have");
        }

        _infoHash = infoHash;
        CreateCiphers(infoHash.Truncated.Span, initiator: false);
        Expect(Step.Provide, CryptoHeaderLength);
    }

    /// <summary>Responder: checks the VC, selects a method and answers at once (message 4), before PadC and the IA arrive.</summary>
    private void OnProvide(Span<byte> field)
    {
        _decryptor!.Apply(field);
        if (field[..VcLength].ContainsAnyExcept((byte)0))
        {
            throw new MseException("the peer's verification constant is wrong: its keys differ from ours (a broken peer)");
        }

        uint provide = BinaryPrimitives.ReadUInt32BigEndian(field[VcLength..]);
        int padding = ReadPaddingLength(field[(VcLength + 4)..]);
        _selected = Select(provide, _responder!);

        int ourPadding = PaddingLength(_responder!.Padding);
        byte[] message = new byte[CryptoHeaderLength + ourPadding];
        WriteCryptoHeader(message, _selected, ourPadding);
        _encryptor!.Apply(message);
        Queue(message);

        Expect(Step.PadCAndIaLength, padding + 2);
    }

    /// <summary>
    /// The method the responder selects: among those offered and allowed, RC4 when preferred, else plaintext, else
    /// whichever is left. Bits for methods we do not know are ignored, as libtorrent does.
    /// </summary>
    private static CryptoMethods Select(uint provide, MseResponderOptions options)
    {
        var usable = (CryptoMethods)provide & options.Allow & CryptoMethods.Both;
        if (usable == CryptoMethods.None)
        {
            throw new MseException(
                $"the peer offers no encryption method we allow (it offers {Describe((CryptoMethods)provide & CryptoMethods.Both)}, we allow {Describe(options.Allow)})");
        }

        if (usable == CryptoMethods.Both)
        {
            return options.PreferRc4 ? CryptoMethods.Rc4 : CryptoMethods.Plaintext;
        }

        return usable;
    }

    /// <summary>Initiator: the responder must select exactly one method, and one we offered.</summary>
    private void OnSelect(Span<byte> field)
    {
        _decryptor!.Apply(field);
        uint select = BinaryPrimitives.ReadUInt32BigEndian(field);
        var selected = (CryptoMethods)select;
        if (selected is not (CryptoMethods.Plaintext or CryptoMethods.Rc4) || (selected & _initiator!.Provide) == CryptoMethods.None)
        {
            throw new MseException($"the peer selected an encryption method we did not offer (crypto_select 0x{select:x}, we offered {Describe(_initiator!.Provide)})");
        }

        _selected = selected;
        Expect(Step.PadD, ReadPaddingLength(field[4..]));
    }

    private void Finish(ReadOnlySpan<byte> rest)
    {
        bool rc4 = _selected == CryptoMethods.Rc4;
        byte[] remainder = rest.ToArray();
        if (rc4)
        {
            _decryptor!.Apply(remainder);
        }

        Result = new MseResult(_selected, rc4 ? _encryptor : null, rc4 ? _decryptor : null, _infoHash!, _initialPayload, remainder);
        _secret = [];
        _field = [];
    }

    private void Expect(Step step, int length)
    {
        _step = step;
        _fieldNeed = length;
        _fieldHave = 0;
        if (_field.Length < length)
        {
            _field = new byte[length];
        }

        // A field of length 0 (no PadC, PadD or IA) is complete at once.
        if (length == 0)
        {
            OnField([]);
        }
    }

    private void StartSearch(Step step, int window, byte[] pattern)
    {
        _step = step;
        _window = new byte[window];
        _windowHave = 0;
        _syncPattern = pattern;
    }

    private void CreateCiphers(ReadOnlySpan<byte> skey, bool initiator)
    {
        var keyA = new Rc4(Hash("keyA"u8, _secret, skey));
        var keyB = new Rc4(Hash("keyB"u8, _secret, skey));
        _encryptor = initiator ? keyA : keyB;
        _decryptor = initiator ? keyB : keyA;
    }

    private void QueuePublicKey()
    {
        MsePadding padding = _initiator?.Padding ?? _responder!.Padding;
        byte[] message = new byte[KeyLength + PaddingLength(padding)];
        WriteKey(BigInteger.ModPow(Generator, _privateKey, Prime), message.AsSpan(0, KeyLength));
        RandomNumberGenerator.Fill(message.AsSpan(KeyLength));
        Queue(message);
    }

    private void Queue(byte[] message) => _output = _output.Length == 0 ? message : [.. _output, .. message];

    /// <summary>VC, the crypto field, len(Pad), Pad (random bytes; they are encrypted after).</summary>
    private static void WriteCryptoHeader(Span<byte> destination, CryptoMethods crypto, int padding)
    {
        destination[..VcLength].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(destination[VcLength..], (uint)crypto);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(VcLength + 4)..], (ushort)padding);
        RandomNumberGenerator.Fill(destination.Slice(CryptoHeaderLength, padding));
    }

    private static int ReadPaddingLength(ReadOnlySpan<byte> field)
    {
        int length = BinaryPrimitives.ReadUInt16BigEndian(field);
        return length <= MaxPadding
            ? length
            : throw new MseException($"the peer's padding is {length} bytes, more than the {MaxPadding} MSE allows (a broken peer)");
    }

    private static int PaddingLength(MsePadding padding) => padding switch
    {
        MsePadding.Maximum => MaxPadding,
        MsePadding.None => 0,
        _ => RandomNumberGenerator.GetInt32(MaxPadding + 1),
    };

    /// <summary>A key or secret as the spec writes it: 96 bytes, big-endian, zeros in front when it is shorter.</summary>
    private static void WriteKey(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        int length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination[(KeyLength - length)..], out _, isUnsigned: true, isBigEndian: true);
    }

    private static byte[] Hash(ReadOnlySpan<byte> label, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default)
    {
        Span<byte> input = stackalloc byte[label.Length + first.Length + second.Length];
        label.CopyTo(input);
        first.CopyTo(input[label.Length..]);
        second.CopyTo(input[(label.Length + first.Length)..]);
        return SHA1.HashData(input);
    }

    private static string Describe(CryptoMethods methods) => methods switch
    {
        CryptoMethods.Plaintext => "plaintext",
        CryptoMethods.Rc4 => "RC4",
        CryptoMethods.Both => "plaintext and RC4",
        _ => "nothing",
    };
}
