using Shoal.Metainfo;
using Shoal.Net.Encryption;
using Shoal.Wire;

namespace Shoal.Tests.Net.Encryption;

/// <summary>The handshake state machines against each other, without I/O: bytes are carried between them by hand.</summary>
public sealed class MseHandshakeTests
{
    internal static readonly InfoHash Torrent = InfoHash.FromHex("0123456789abcdef0123456789abcdef01234567");
    internal static readonly InfoHash Other = InfoHash.FromHex("89abcdef0123456789abcdef0123456789abcdef");
    internal static readonly byte[] BitTorrentHandshake = [19, .. "BitTorrent protocol"u8, .. new byte[8], .. Torrent.Span, .. "-SH0100-abcdefghijkl"u8];

    internal static MseInitiatorOptions Initiator(MsePadding padding = MsePadding.Random, CryptoMethods provide = CryptoMethods.Both) => new()
    {
        Skey = Torrent,
        Provide = provide,
        InitialPayload = BitTorrentHandshake,
        Padding = padding,
    };

    internal static MseResponderOptions Responder(MsePadding padding = MsePadding.Random, CryptoMethods allow = CryptoMethods.Both, bool preferRc4 = true) => new()
    {
        FindSkey = MseHandshake.LookupAmong([Other, Torrent]),
        Allow = allow,
        PreferRc4 = preferRc4,
        Padding = padding,
    };

    /// <summary>
    /// Carries each end's output to the other, <paramref name="split"/> bytes at a time, until neither has anything to
    /// say. Bytes past <paramref name="cutA"/> (from the initiator) or <paramref name="cutB"/> (from the responder) are
    /// dropped, as if the connection closed there. Returns how many bytes each end sent.
    /// </summary>
    private static (int FromA, int FromB) Pump(MseHandshake a, MseHandshake b, int split = int.MaxValue, int cutA = int.MaxValue, int cutB = int.MaxValue)
    {
        int fromA = 0;
        int fromB = 0;
        while (true)
        {
            byte[] outA = a.TakeOutput();
            byte[] outB = b.TakeOutput();
            if (outA.Length == 0 && outB.Length == 0)
            {
                return (fromA, fromB);
            }

            fromA += Deliver(outA, b, split, cutA - fromA);
            fromB += Deliver(outB, a, split, cutB - fromB);
        }
    }

    private static int Deliver(byte[] bytes, MseHandshake to, int split, int allowed)
    {
        ReadOnlySpan<byte> rest = bytes.AsSpan(0, Math.Clamp(allowed, 0, bytes.Length));
        while (!rest.IsEmpty)
        {
            int length = Math.Min(split, rest.Length);
            to.Receive(rest[..length]);
            rest = rest[length..];
        }

        return bytes.Length;
    }

    [Theory]
    [InlineData((int)MsePadding.None)]
    [InlineData((int)MsePadding.Random)]
    [InlineData((int)MsePadding.Maximum)]
    public void Both_ends_agree_on_RC4_keys_and_the_responder_gets_the_initial_payload(int paddingValue)
    {
        var padding = (MsePadding)paddingValue;
        var a = MseHandshake.Initiate(Initiator(padding));
        var b = MseHandshake.Respond(Responder(padding));
        Pump(a, b);

        MseResult ra = Assert.IsType<MseResult>(a.Result);
        MseResult rb = Assert.IsType<MseResult>(b.Result);
        Assert.Equal(CryptoMethods.Rc4, ra.Method);
        Assert.Equal(CryptoMethods.Rc4, rb.Method);
        Assert.Equal(Torrent, rb.InfoHash);
        Assert.Equal(BitTorrentHandshake, rb.InitialPayload.ToArray());
        Assert.True(ra.InitialPayload.IsEmpty);
        AssertCiphersPair(ra, rb);
    }

    /// <summary>The spec's bounds are inclusive: 512 bytes of every padding is a valid handshake, and the longest one.</summary>
    [Fact]
    public void The_longest_paddings_fit_the_search_bounds()
    {
        var a = MseHandshake.Initiate(Initiator(MsePadding.Maximum));
        var b = MseHandshake.Respond(Responder(MsePadding.Maximum));
        (int fromA, int fromB) = Pump(a, b);

        Assert.NotNull(a.Result);
        Assert.NotNull(b.Result);
        Assert.Equal(96 + 512 + 20 + 20 + 8 + 4 + 2 + 512 + 2 + BitTorrentHandshake.Length, fromA);
        Assert.Equal(96 + 512 + 8 + 4 + 2 + 512, fromB);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(97)]
    public void Bytes_split_anywhere_make_the_same_handshake(int split)
    {
        var a = MseHandshake.Initiate(Initiator());
        var b = MseHandshake.Respond(Responder());
        Pump(a, b, split);

        AssertCiphersPair(a.Result!, b.Result!);
        Assert.Equal(BitTorrentHandshake, b.Result!.InitialPayload.ToArray());
    }

    [Fact]
    public void Bytes_after_the_handshake_are_the_remainder_decrypted()
    {
        var a = MseHandshake.Initiate(Initiator());
        var b = MseHandshake.Respond(Responder());
        b.Receive(a.TakeOutput());
        a.Receive(b.TakeOutput());
        byte[] request = a.TakeOutput();
        b.Receive(request);
        byte[] answer = b.TakeOutput();

        // B's first payload bytes travel with its answer (ENCRYPT2 continues B's keystream): A gets them as the remainder.
        byte[] payload = [.. "hello from B"u8];
        byte[] encrypted = payload.ToArray();
        b.Result!.Encryptor!.Apply(encrypted);
        a.Receive([.. answer, .. encrypted]);

        Assert.Equal(payload, a.Result!.Remainder.ToArray());
    }

    [Fact]
    public void With_plaintext_selected_the_remainder_is_as_sent()
    {
        var a = MseHandshake.Initiate(Initiator(provide: CryptoMethods.Plaintext));
        var b = MseHandshake.Respond(Responder());
        b.Receive(a.TakeOutput());
        a.Receive(b.TakeOutput());
        b.Receive(a.TakeOutput());
        a.Receive([.. b.TakeOutput(), .. "plain"u8]);

        Assert.Equal(CryptoMethods.Plaintext, a.Result!.Method);
        Assert.Null(a.Result.Encryptor);
        Assert.Null(a.Result.Decryptor);
        Assert.Equal("plain"u8.ToArray(), a.Result.Remainder.ToArray());
    }

    /// <summary>
    /// Every place the connection can close before the handshake's end, from either side, with the shortest
    /// handshake (no padding) so that every byte is a cut point: the end that waits fails with a message, never
    /// succeeds.
    /// </summary>
    [Fact]
    public void A_handshake_cut_anywhere_fails_cleanly()
    {
        (int totalA, int totalB) = Pump(MseHandshake.Initiate(Initiator(MsePadding.None)), MseHandshake.Respond(Responder(MsePadding.None)));
        Assert.Equal(96 + 20 + 20 + 14 + 2 + BitTorrentHandshake.Length, totalA);
        Assert.Equal(96 + 14, totalB);

        for (int cut = 0; cut < totalA; cut++)
        {
            var a = MseHandshake.Initiate(Initiator(MsePadding.None));
            var b = MseHandshake.Respond(Responder(MsePadding.None));
            Pump(a, b, cutA: cut);
            Assert.Null(b.Result);
            MseException failure = Assert.Throws<MseException>(b.OnEndOfStream);
            Assert.Contains("ended early", failure.Message, StringComparison.Ordinal);
        }

        for (int cut = 0; cut < totalB; cut++)
        {
            var a = MseHandshake.Initiate(Initiator(MsePadding.None));
            var b = MseHandshake.Respond(Responder(MsePadding.None));
            Pump(a, b, cutB: cut);
            Assert.Null(a.Result);
            Assert.Throws<MseException>(a.OnEndOfStream);
        }
    }

    /// <summary>Cuts inside the longest paddings too, every 13th byte.</summary>
    [Fact]
    public void A_handshake_cut_in_its_padding_fails_cleanly()
    {
        for (int cut = 0; cut < 96 + 512 + 40 + 14 + 512 + 2 + BitTorrentHandshake.Length; cut += 13)
        {
            var a = MseHandshake.Initiate(Initiator(MsePadding.Maximum));
            var b = MseHandshake.Respond(Responder(MsePadding.Maximum));
            Pump(a, b, cutA: cut);
            Assert.Throws<MseException>(b.OnEndOfStream);
        }

        for (int cut = 0; cut < 96 + 512 + 14 + 512; cut += 13)
        {
            var a = MseHandshake.Initiate(Initiator(MsePadding.Maximum));
            var b = MseHandshake.Respond(Responder(MsePadding.Maximum));
            Pump(a, b, cutB: cut);
            Assert.Throws<MseException>(a.OnEndOfStream);
        }
    }

    /// <summary>Random bytes are refused at the spec's bound: the req1 hash must end within 628 bytes of B's input.</summary>
    [Fact]
    public void The_responder_refuses_garbage_at_628_bytes()
    {
        var random = new Random(628);
        byte[] garbage = new byte[MseHandshake.Req1SearchBound];
        random.NextBytes(garbage);
        garbage[0] = 0x7F; // a key below P, as nearly all random ones are

        var b = MseHandshake.Respond(Responder());
        foreach (byte one in garbage.AsSpan(0, garbage.Length - 1))
        {
            b.Receive([one]);
        }

        Assert.NotEmpty(b.TakeOutput()); // Yb, sent once Ya was in
        MseException failure = Assert.Throws<MseException>(() => b.Receive(garbage.AsSpan(^1..)));
        Assert.Contains("no req1 hash within 628 bytes", failure.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => b.Receive([0]));
    }

    [Fact]
    public void The_initiator_refuses_garbage_at_616_bytes()
    {
        var random = new Random(616);
        byte[] garbage = new byte[MseHandshake.VcSearchBound];
        random.NextBytes(garbage);
        garbage[0] = 0x7F;

        var a = MseHandshake.Initiate(Initiator());
        a.Receive(garbage.AsSpan(0, garbage.Length - 1));
        MseException failure = Assert.Throws<MseException>(() => a.Receive(garbage.AsSpan(^1..)));
        Assert.Contains("no verification constant within 616 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_initiator_fails_at_once_when_the_peer_answers_with_a_plaintext_handshake()
    {
        byte[] answer = new byte[Handshake.Length];
        new Handshake(ReservedBits.Shoal, new InfoHash(new byte[20]), new byte[20]).WriteTo(answer);
        var a = MseHandshake.Initiate(Initiator());
        a.Receive(answer.AsSpan(0, 19));

        MseException failure = Assert.Throws<MseException>(() => a.Receive(answer.AsSpan(19, 1)));

        Assert.Contains("plaintext BitTorrent handshake", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void A_trivial_public_key_is_refused(int which)
    {
        byte[] key = new byte[96];
        if (which == 1)
        {
            key[^1] = 1;
        }
        else if (which == -1)
        {
            key.AsSpan().Fill(0xFF); // above P
        }

        var b = MseHandshake.Respond(Responder());
        MseException failure = Assert.Throws<MseException>(() => b.Receive(key));
        Assert.Contains("invalid Diffie-Hellman key", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// RC4 is a stream cipher: flipping a bit of the ciphertext flips the same bit of the plaintext. That lets a test
    /// play a broken peer without its keys. No padding, so the fields are at known places: message 3 is the two
    /// hashes (40 bytes), VC (8), crypto_provide (4), len(PadC) (2); message 4 is VC, crypto_select, len(PadD).
    /// </summary>
    private static (MseHandshake A, MseHandshake B, byte[] Request) UpToTheRequest(CryptoMethods provide = CryptoMethods.Both)
    {
        var a = MseHandshake.Initiate(Initiator(MsePadding.None, provide));
        var b = MseHandshake.Respond(Responder(MsePadding.None));
        b.Receive(a.TakeOutput());
        a.Receive(b.TakeOutput());
        return (a, b, a.TakeOutput());
    }

    [Fact]
    public void A_wrong_verification_constant_is_refused()
    {
        (_, MseHandshake b, byte[] request) = UpToTheRequest();
        request[40 + 3] ^= 0x10;
        MseException failure = Assert.Throws<MseException>(() => b.Receive(request));
        Assert.Contains("verification constant is wrong", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_PadC_longer_than_512_bytes_is_refused()
    {
        (_, MseHandshake b, byte[] request) = UpToTheRequest();
        request[40 + 8 + 4] ^= 0x02; // len(PadC) 0 -> 512: still fine
        b.Receive(request.AsSpan(0, 40 + 14));
        (_, b, request) = UpToTheRequest();
        request[40 + 8 + 4] ^= 0x02;
        request[40 + 8 + 5] ^= 0x01; // 513
        MseException failure = Assert.Throws<MseException>(() => b.Receive(request));
        Assert.Contains("padding is 513 bytes, more than the 512", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((int)CryptoMethods.Rc4, 0x03, "did not offer")] // RC4 offered, plaintext selected
    [InlineData((int)CryptoMethods.Both, 0x01, "did not offer")] // both selected at once
    [InlineData((int)CryptoMethods.Both, 0x06, "did not offer")] // an unknown method selected
    public void The_initiator_refuses_a_selection_it_did_not_offer(int provide, byte flip, string expected)
    {
        (MseHandshake a, MseHandshake b, byte[] request) = UpToTheRequest((CryptoMethods)provide);
        b.Receive(request);
        byte[] answer = b.TakeOutput();
        Assert.Equal(14, answer.Length);
        answer[8 + 3] ^= flip; // RC4 (0x02) selected, changed
        MseException failure = Assert.Throws<MseException>(() => a.Receive(answer));
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_PadD_longer_than_512_bytes_is_refused()
    {
        (MseHandshake a, MseHandshake b, byte[] request) = UpToTheRequest();
        b.Receive(request);
        byte[] answer = b.TakeOutput();
        answer[8 + 4] ^= 0x80;
        MseException failure = Assert.Throws<MseException>(() => a.Receive(answer));
        Assert.Contains("padding is 32768 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_torrent_is_refused()
    {
        var a = MseHandshake.Initiate(Initiator() with { Skey = InfoHash.FromHex("fedcba9876543210fedcba9876543210fedcba98") });
        var b = MseHandshake.Respond(Responder());
        MseException failure = Assert.Throws<MseException>(() => Pump(a, b));
        Assert.Contains("unknown info-hash", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_responder_finds_a_v2_torrent_by_its_truncated_hash()
    {
        var v2 = InfoHash.FromHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        var a = MseHandshake.Initiate(Initiator() with { Skey = v2.Truncated });
        var b = MseHandshake.Respond(Responder() with { FindSkey = MseHandshake.LookupAmong([Torrent, v2, Other]) });
        Pump(a, b);

        Assert.Equal(v2, b.Result!.InfoHash);
        AssertCiphersPair(a.Result!, b.Result!);
    }

    [Fact]
    public void Options_are_checked()
    {
        Assert.Throws<ArgumentException>(() => MseHandshake.Initiate(Initiator(provide: CryptoMethods.None)));
        Assert.Throws<ArgumentException>(() => MseHandshake.Initiate(Initiator() with { InitialPayload = new byte[65536] }));
        Assert.Throws<ArgumentException>(() => MseHandshake.Respond(Responder(allow: CryptoMethods.None)));
    }

    [Fact]
    public void An_initial_payload_of_the_largest_size_arrives()
    {
        byte[] payload = new byte[MseInitiatorOptions.MaxInitialPayload];
        new Random(65535).NextBytes(payload);
        var a = MseHandshake.Initiate(Initiator() with { InitialPayload = payload });
        var b = MseHandshake.Respond(Responder());
        Pump(a, b, split: 1000);
        Assert.Equal(payload, b.Result!.InitialPayload.ToArray());
    }

    [Fact]
    public void Req2_hash_is_sha1_of_req2_and_the_wire_hash()
    {
        byte[] expected = System.Security.Cryptography.SHA1.HashData([.. "req2"u8, .. Torrent.Span]);
        Assert.Equal(expected, MseHandshake.Req2Hash(Torrent));
    }

    /// <summary>What one end encrypts, the other decrypts, in both directions.</summary>
    internal static void AssertCiphersPair(MseResult a, MseResult b)
    {
        byte[] message = [.. "the payload stream"u8];
        byte[] wire = message.ToArray();
        a.Encryptor!.Apply(wire);
        Assert.NotEqual(message, wire);
        b.Decryptor!.Apply(wire);
        Assert.Equal(message, wire);

        wire = message.ToArray();
        b.Encryptor!.Apply(wire);
        a.Decryptor!.Apply(wire);
        Assert.Equal(message, wire);
    }
}
