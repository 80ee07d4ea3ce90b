using System.Net;
using Shoal.Metainfo;
using Shoal.Net.Encryption;
using Shoal.Net.Streams;
using Shoal.Swarm;
using Shoal.Tests.Net.Streams;

namespace Shoal.Tests.Net.Encryption;

/// <summary>Two Shoal ends negotiating over in-memory streams, then using the streams the negotiation gave.</summary>
public sealed class MseNegotiatorTests
{
    /// <summary>No test here should come near this: a hang fails instead of blocking the run.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static MseInitiatorOptions Initiator(CryptoMethods provide = CryptoMethods.Both, MsePadding padding = MsePadding.Random) =>
        MseHandshakeTests.Initiator(padding, provide);

    private static MseResponderOptions Responder(CryptoMethods allow = CryptoMethods.Both, bool preferRc4 = true, MsePadding padding = MsePadding.Random) =>
        MseHandshakeTests.Responder(padding, allow, preferRc4);

    /// <summary>
    /// Both ends at once; the responder reads the detection bytes first, as a listener does. Unless told to keep it,
    /// the initial payload is read off the responder's stream (checked against the one reported), so that the
    /// streams carry only what the test sends next.
    /// </summary>
    private static async Task<(IPeerStream Initiator, MseAccepted Responder)> NegotiateAsync(
        MemoryPeerStream a, MemoryPeerStream b, MseInitiatorOptions initiator, MseResponderOptions responder, bool keepInitialPayload = false)
    {
        using var cancel = new CancellationTokenSource(Patience);
        Task<IPeerStream> initiating = MseNegotiator.InitiateAsync(a, initiator, cancel.Token);
        byte[] first = await ReadExactlyAsync(b, MseNegotiator.DetectionLength, cancel.Token);
        Assert.False(MseNegotiator.LooksLikeBitTorrentHandshake(first));
        Task<MseAccepted> accepting = MseNegotiator.AcceptAsync(b, first, responder, cancel.Token);
        (IPeerStream initiated, MseAccepted accepted) = (await initiating, await accepting);
        if (!keepInitialPayload)
        {
            byte[] initialPayload = await ReadExactlyAsync(accepted.Stream, accepted.InitialPayload.Length, cancel.Token);
            Assert.Equal(accepted.InitialPayload.ToArray(), initialPayload);
        }

        return (initiated, accepted);
    }

    private static async Task<byte[]> ReadExactlyAsync(IPeerStream stream, int count, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[count];
        for (int filled = 0; filled < count;)
        {
            int received = await stream.ReceiveAsync(buffer.AsMemory(filled), cancellationToken);
            Assert.NotEqual(0, received);
            filled += received;
        }

        return buffer;
    }

    /// <summary>crypto_provide, the methods the responder allows (as ints: the enum is internal), and whether it prefers RC4.</summary>
    public static TheoryData<int, int, bool> Combinations()
    {
        var data = new TheoryData<int, int, bool>();
        CryptoMethods[] methods = [CryptoMethods.Plaintext, CryptoMethods.Rc4, CryptoMethods.Both];
        foreach (CryptoMethods provide in methods)
        {
            foreach (CryptoMethods allow in methods)
            {
                data.Add((int)provide, (int)allow, true);
                data.Add((int)provide, (int)allow, false);
            }
        }

        return data;
    }

    /// <summary>
    /// Every crypto_provide against every method the responder allows, with either preference: it selects RC4 or
    /// plaintext as libtorrent would, or refuses, and the initiator then sees the connection close.
    /// </summary>
    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task The_responder_selects_what_both_allow_or_refuses(int provideValue, int allowValue, bool preferRc4)
    {
        var provide = (CryptoMethods)provideValue;
        var allow = (CryptoMethods)allowValue;
        CryptoMethods usable = provide & allow;
        CryptoMethods? expected = usable switch
        {
            CryptoMethods.None => null,
            CryptoMethods.Both => preferRc4 ? CryptoMethods.Rc4 : CryptoMethods.Plaintext,
            _ => usable,
        };

        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create();
        using (a)
        using (b)
        {
            if (expected is null)
            {
                using var cancel = new CancellationTokenSource(Patience);
                Task<IPeerStream> initiating = MseNegotiator.InitiateAsync(a, Initiator(provide), cancel.Token);
                MseException refusal = await Assert.ThrowsAsync<MseException>(() => MseNegotiator.AcceptAsync(b, default, Responder(allow, preferRc4), cancel.Token));
                Assert.Contains("offers no encryption method we allow", refusal.Message, StringComparison.Ordinal);
                b.Dispose(); // what the listener does with a failed connection
                MseException ended = await Assert.ThrowsAsync<MseException>(() => initiating);
                Assert.Contains("ended early", ended.Message, StringComparison.Ordinal);
                return;
            }

            (IPeerStream initiator, MseAccepted responder) = await NegotiateAsync(a, b, Initiator(provide), Responder(allow, preferRc4));
            bool rc4 = expected == CryptoMethods.Rc4;
            Assert.Equal(rc4, initiator.IsEncrypted);
            Assert.Equal(rc4, responder.Stream.IsEncrypted);
            Assert.Equal(MseHandshakeTests.Torrent, responder.InfoHash);
            Assert.Equal(MseHandshakeTests.BitTorrentHandshake, responder.InitialPayload.ToArray());
            await ExchangeAsync(initiator, responder.Stream, 20_000, new Random(1));
        }
    }

    [Theory]
    [InlineData((int)CryptoMethods.Rc4)]
    [InlineData((int)CryptoMethods.Plaintext)]
    public async Task Megabytes_flow_both_ways_byte_exact_in_random_pieces(int methodValue)
    {
        var method = (CryptoMethods)methodValue;
        var random = new Random(4242);
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.CreateRandomlySplit(new Random(17));
        using (a)
        using (b)
        {
            (IPeerStream initiator, MseAccepted responder) = await NegotiateAsync(a, b, Initiator(method), Responder());
            Assert.Equal(method == CryptoMethods.Rc4, initiator.IsEncrypted);
            await ExchangeAsync(initiator, responder.Stream, 4 * 1024 * 1024, random);
        }
    }

    /// <summary>Every read of the handshake and of the stream returns one byte.</summary>
    [Fact]
    public async Task One_byte_at_a_time_works()
    {
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create(readLimit: _ => 1);
        using (a)
        using (b)
        {
            (IPeerStream initiator, MseAccepted responder) = await NegotiateAsync(a, b, Initiator(), Responder(padding: MsePadding.Maximum));
            Assert.True(initiator.IsEncrypted);
            Assert.Equal(MseHandshakeTests.BitTorrentHandshake, responder.InitialPayload.ToArray());
            await ExchangeAsync(initiator, responder.Stream, 50_000, new Random(3));
        }
    }

    [Fact]
    public async Task The_responder_stream_starts_with_the_initial_payload()
    {
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create();
        using (a)
        using (b)
        {
            (IPeerStream initiator, MseAccepted responder) = await NegotiateAsync(a, b, Initiator(), Responder(), keepInitialPayload: true);
            byte[] more = [.. "then messages"u8];
            await initiator.SendAsync(more.ToArray(), CancellationToken.None);

            byte[] expected = [.. MseHandshakeTests.BitTorrentHandshake, .. more];
            Assert.True(responder.Stream.Available >= MseHandshakeTests.BitTorrentHandshake.Length);
            await responder.Stream.WaitForDataAsync(CancellationToken.None);
            Assert.Equal(expected, await ReadExactlyAsync(responder.Stream, expected.Length, CancellationToken.None));
        }
    }

    /// <summary>With RC4 the wire carries no plaintext; with plaintext selected it carries the bytes as sent.</summary>
    [Theory]
    [InlineData((int)CryptoMethods.Rc4)]
    [InlineData((int)CryptoMethods.Plaintext)]
    public async Task Sends_are_encrypted_only_when_RC4_was_selected(int methodValue)
    {
        var method = (CryptoMethods)methodValue;
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create();
        using (a)
        using (b)
        {
            (IPeerStream initiator, MseAccepted responder) = await NegotiateAsync(a, b, Initiator(method), Responder());
            _ = responder;
            byte[] message = [.. "interested, please unchoke"u8];
            byte[] sent = message.ToArray();
            await initiator.SendAsync(sent, CancellationToken.None);

            // Read the wire under the responder's stream.
            byte[] wire = await ReadExactlyAsync(b, message.Length, CancellationToken.None);
            Assert.Equal(method == CryptoMethods.Plaintext, wire.AsSpan().SequenceEqual(message));
        }
    }

    [Fact]
    public async Task The_responder_finds_the_torrent_among_several()
    {
        InfoHash[] torrents = [.. Enumerable.Range(1, 50).Select(n => new InfoHash(System.Security.Cryptography.SHA1.HashData([(byte)n])))];
        InfoHash wanted = torrents[37];
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create();
        using (a)
        using (b)
        {
            (IPeerStream initiator, MseAccepted responder) = await NegotiateAsync(
                a, b, Initiator() with { Skey = wanted }, Responder() with { FindSkey = MseHandshake.LookupAmong(torrents) });
            Assert.Equal(wanted, responder.InfoHash);
            await ExchangeAsync(initiator, responder.Stream, 10_000, new Random(5));
        }
    }

    [Fact]
    public async Task An_unknown_torrent_is_refused_and_the_initiator_sees_the_close()
    {
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create();
        using (a)
        using (b)
        {
            using var cancel = new CancellationTokenSource(Patience);
            Task<IPeerStream> initiating = MseNegotiator.InitiateAsync(a, Initiator() with { Skey = InfoHash.FromHex("fedcba9876543210fedcba9876543210fedcba98") }, cancel.Token);
            MseException refusal = await Assert.ThrowsAsync<MseException>(() => MseNegotiator.AcceptAsync(b, default, Responder(), cancel.Token));
            Assert.Contains("unknown info-hash", refusal.Message, StringComparison.Ordinal);
            b.Dispose();
            await Assert.ThrowsAsync<MseException>(() => initiating);
        }
    }

    /// <summary>The peer closes the connection after some bytes of its side of the handshake: the other end fails at once, whatever the cut.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(95)]
    [InlineData(96)]
    [InlineData(130)]
    [InlineData(150)]
    [InlineData(219)]
    public async Task A_handshake_cut_by_a_close_fails_without_waiting_for_the_timeout(int cut)
    {
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create();
        using (a)
        using (b)
        {
            var cutting = new ClosingAfter(a, cut);
            var started = System.Diagnostics.Stopwatch.StartNew();
            Task<IPeerStream> initiating = MseNegotiator.InitiateAsync(cutting, Initiator(padding: MsePadding.None), CancellationToken.None);
            MseException failure = await Assert.ThrowsAsync<MseException>(
                () => MseNegotiator.AcceptAsync(b, default, Responder(padding: MsePadding.None), CancellationToken.None).WaitAsync(Patience));
            Assert.Contains("ended early", failure.Message, StringComparison.Ordinal);
            Assert.True(started.Elapsed < MseNegotiator.DefaultTimeout);
            b.Dispose();

            // The responder answers once crypto_provide is in (as libtorrent does), so a cut after it leaves the
            // initiator done; before it, the initiator sees the close.
            if (cut < 96 + 20 + 20 + 14)
            {
                await Assert.ThrowsAsync<MseException>(() => initiating.WaitAsync(Patience));
            }
            else
            {
                await initiating.WaitAsync(Patience);
            }
        }
    }

    [Fact]
    public async Task Random_bytes_are_refused_within_the_bound()
    {
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create();
        using (a)
        using (b)
        {
            byte[] garbage = new byte[10_000];
            new Random(9).NextBytes(garbage);
            garbage[0] = 0x42;
            await a.SendAsync(garbage, CancellationToken.None);
            MseException failure = await Assert.ThrowsAsync<MseException>(
                () => MseNegotiator.AcceptAsync(b, default, Responder(), CancellationToken.None).WaitAsync(Patience));
            Assert.Contains("no req1 hash within 628 bytes", failure.Message, StringComparison.Ordinal);

            // At most Yb and its padding went out (here nothing: the garbage arrived in the read that took Ya).
            Assert.InRange(b.BytesSent, 0, 96 + 512);
        }
    }

    [Fact]
    public async Task A_silent_peer_times_out()
    {
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create();
        using (a)
        using (b)
        {
            MseException failure = await Assert.ThrowsAsync<MseException>(
                () => MseNegotiator.InitiateAsync(a, Initiator() with { Timeout = TimeSpan.FromMilliseconds(200) }, CancellationToken.None).WaitAsync(Patience));
            Assert.Contains("did not finish the encryption handshake within 0.2 s", failure.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cancellation_is_not_a_timeout()
    {
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create();
        using (a)
        using (b)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MseNegotiator.InitiateAsync(a, Initiator(), cancel.Token).WaitAsync(Patience));
        }
    }

    [Fact]
    public void A_BitTorrent_handshake_is_told_from_MSE_by_its_first_20_bytes()
    {
        Assert.Equal(20, MseNegotiator.DetectionLength);
        Assert.True(MseNegotiator.LooksLikeBitTorrentHandshake(MseHandshakeTests.BitTorrentHandshake));
        Assert.True(MseNegotiator.LooksLikeBitTorrentHandshake(MseHandshakeTests.BitTorrentHandshake.AsSpan(0, 20)));
        Assert.False(MseNegotiator.LooksLikeBitTorrentHandshake(MseHandshakeTests.BitTorrentHandshake.AsSpan(0, 19)));
        byte[] almost = MseHandshakeTests.BitTorrentHandshake.ToArray();
        almost[19] = (byte)'L';
        Assert.False(MseNegotiator.LooksLikeBitTorrentHandshake(almost));
        var key = MseHandshake.Initiate(Initiator()).TakeOutput();
        Assert.False(MseNegotiator.LooksLikeBitTorrentHandshake(key));
    }

    /// <summary>A plain BitTorrent connection, its first bytes read to detect MSE: the replay returns them, then the rest.</summary>
    [Fact]
    public async Task A_replay_stream_returns_the_detection_bytes_first()
    {
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create(readLimit: available => Math.Min(available, 5));
        using (a)
        using (b)
        {
            byte[] sent = [.. MseHandshakeTests.BitTorrentHandshake, .. "and more"u8];
            await a.SendAsync(sent.ToArray(), CancellationToken.None);
            byte[] first = await ReadExactlyAsync(b, MseNegotiator.DetectionLength, CancellationToken.None);
            Assert.True(MseNegotiator.LooksLikeBitTorrentHandshake(first));

            using MseStream replay = MseStream.Replay(b, first);
            Assert.False(replay.IsEncrypted);
            Assert.Equal(b.Remote, replay.Remote);
            Assert.Equal(PeerTransport.Tcp, replay.Transport);
            Assert.True(replay.Available >= 20);
            Assert.Equal(sent, await ReadExactlyAsync(replay, sent.Length, CancellationToken.None));
            replay.Dispose(); // closes the connection
            Assert.Equal(0, await a.ReceiveAsync(new byte[1], CancellationToken.None));
        }
    }

    [Fact]
    public void The_streams_report_the_inner_transport_and_remote()
    {
        (MemoryPeerStream a, MemoryPeerStream b) = MemoryPeerStreamPair.Create(transport: PeerTransport.Utp);
        using (a)
        using (b)
        {
            using MseStream replay = MseStream.Replay(a, []);
            Assert.Equal(PeerTransport.Utp, replay.Transport);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, 6882), replay.Remote);
        }
    }

    /// <summary>
    /// Each end sends <paramref name="length"/> random bytes in random pieces while reading the other's, at the same
    /// time; each must read exactly what the other sent. The sent buffers are reused after each send, as a
    /// connection's send buffers are (the stream encrypts them in place).
    /// </summary>
    private static async Task ExchangeAsync(IPeerStream one, IPeerStream two, int length, Random random)
    {
        byte[] fromOne = new byte[length];
        byte[] fromTwo = new byte[length];
        random.NextBytes(fromOne);
        random.NextBytes(fromTwo);
        int seed = random.Next();
        using var cancel = new CancellationTokenSource(Patience);

        await Task.WhenAll(
            SendAsync(one, fromOne, new Random(seed), cancel.Token),
            SendAsync(two, fromTwo, new Random(seed + 1), cancel.Token),
            ExpectAsync(two, fromOne, new Random(seed + 2), cancel.Token),
            ExpectAsync(one, fromTwo, new Random(seed + 3), cancel.Token));
    }

    private static async Task SendAsync(IPeerStream stream, byte[] data, Random random, CancellationToken cancellationToken)
    {
        await Task.Yield();
        byte[] scratch = new byte[20_000];
        for (int at = 0; at < data.Length;)
        {
            int length = Math.Min(random.Next(1, scratch.Length), data.Length - at);
            data.AsSpan(at, length).CopyTo(scratch);
            await stream.SendAsync(scratch.AsMemory(0, length), cancellationToken);
            at += length;
        }
    }

    private static async Task ExpectAsync(IPeerStream stream, byte[] expected, Random random, CancellationToken cancellationToken)
    {
        await Task.Yield();
        byte[] received = new byte[expected.Length];
        for (int at = 0; at < received.Length;)
        {
            int length = Math.Min(random.Next(1, 40_000), received.Length - at);
            int count = await stream.ReceiveAsync(received.AsMemory(at, length), cancellationToken);
            Assert.NotEqual(0, count);
            at += count;
        }

        Assert.True(expected.AsSpan().SequenceEqual(received), "the bytes received differ from those sent");
    }

    /// <summary>Sends the first <c>limit</c> bytes, then shuts its sending side down (as a peer that gives up does) and drops the rest.</summary>
    private sealed class ClosingAfter(MemoryPeerStream inner, int limit) : IPeerStream
    {
        private int _sent;

        public IPEndPoint Remote => inner.Remote;

        public PeerTransport Transport => inner.Transport;

        public bool IsEncrypted => false;

        public int Available => inner.Available;

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

        public ValueTask WaitForDataAsync(CancellationToken cancellationToken) => inner.WaitForDataAsync(cancellationToken);

        public async ValueTask SendAsync(Memory<byte> data, CancellationToken cancellationToken)
        {
            int allowed = Math.Clamp(limit - _sent, 0, data.Length);
            if (allowed > 0)
            {
                await inner.SendAsync(data[..allowed], cancellationToken);
                _sent += allowed;
            }

            if (_sent >= limit)
            {
                inner.ShutdownSend();
            }
        }

        public void Dispose() => inner.Dispose();
    }
}
