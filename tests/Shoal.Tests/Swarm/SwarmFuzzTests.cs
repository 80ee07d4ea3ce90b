using System.Net;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Swarm;
using Shoal.Tests.Fuzzing;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;
using Xunit.Abstractions;

namespace Shoal.Tests.Swarm;

/// <summary>
/// Random, plausible and mutated messages from a stream of hostile peers, decoded by
/// <see cref="PeerMessageReader"/> into one <see cref="TorrentSwarm"/>: only <see cref="PeerProtocolException"/>
/// may come out, the swarm must keep no more peers than are connected, return every buffer, and still work.
/// </summary>
[Trait("Category", "Fuzz")]
public class SwarmFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 100_000;
    private const int Block = PieceGeometry.BlockSize;
    private const int PieceCount = 40;
    private const int LastPieceSize = 5000;

    [Fact]
    public void Hostile_messages_only_raise_protocol_errors_and_the_swarm_still_completes_and_serves()
    {
        var settings = new SwarmSettings { InitialQueueDepth = 8, MaxQueueDepth = 16 };
        var harness = new SwarmHarness(PieceCount, 2 * Block, LastPieceSize, have: p => p % 3 == 0, settings: settings, seed: 5);
        var random = new Random(20260521);
        var mutator = new Mutator(20260521);
        var generator = new HostileMessageGenerator(harness, random, honestPiecesBelow: 30);
        FuzzPeer? peer = null;
        int protocolErrors = 0;
        int dropped = 0;
        int banned = 0;
        int sessions = 0;

        int received = 0;
        FuzzResult result = FuzzRun.Run(output, "peer wire messages into a swarm", PerRun, _ =>
        {
            if (peer is null)
            {
                sessions++;
                peer = FuzzPeer.Connect(harness, random, sessions);
            }

            peer.Learn();
            // Mostly well-formed messages, so that sessions last long enough to trade blocks; some broken ones.
            return random.Next(100) >= peer.BrokenPercent
                ? generator.Plausible(peer)
                : random.Next(9) switch
                {
                    0 => mutator.RandomBytes(64),
                    < 4 => generator.RandomId(),
                    _ => mutator.Mutate(generator.Plausible(peer)),
                };
        }, bytes =>
        {
            bool accepted = true;
            try
            {
                peer!.Receive(bytes);
            }
            catch (PeerProtocolException)
            {
                protocolErrors++;
                accepted = false;
                peer = peer!.Closed();
            }

            if (peer is not null && (peer.Link.IsClosed || random.Next(300) == 0))
            {
                // The swarm dropped it (banned, both seeds, idle), or the connection just ends.
                dropped += peer.Link.IsClosed ? 1 : 0;
                banned += peer.Link.CloseReason?.StartsWith("banned", StringComparison.Ordinal) == true ? 1 : 0;
                peer = peer.Closed();
            }

            Assert.True(harness.Swarm.Peers.Count <= 1, $"the swarm holds {harness.Swarm.Peers.Count} peers after message {received}");
            if (received % 37 == 0)
            {
                harness.CompleteChecks();
            }

            if (received++ % 400 == 0)
            {
                harness.Time.Advance(TimeSpan.FromSeconds(1));
                harness.Swarm.Tick();
            }

            return accepted;
        });

        peer?.Closed();
        harness.CompleteChecks();
        Assert.Empty(harness.Swarm.Peers);
        output.WriteLine($"{sessions} sessions, {protocolErrors} protocol errors, {dropped} dropped by the swarm, {harness.Swarm.HashFailures} hash failures, {harness.Swarm.Have.Count}/{PieceCount} pieces, {banned} of them banned");
        Assert.True(protocolErrors > result.Inputs / 100, $"only {protocolErrors} protocol errors: the fuzzer is too tame");
        Assert.True(harness.Swarm.HashFailures > 0, "no piece ever failed: the fuzzer never completed a piece");

        Assert.True(harness.Swarm.Uploaded >= 0 && harness.Swarm.Downloaded >= 0);
        AssertSwarmStillServes(harness);
        int seeders = AssertSwarmStillDownloads(harness);
        output.WriteLine($"{seeders} honest seeders finished the download");

        harness.Swarm.Close();
        harness.CompleteChecks();
        harness.Pool.AssertAllReturned();
    }

    /// <summary>A well-behaved leecher asks for a piece we have and gets it.</summary>
    private static void AssertSwarmStillServes(SwarmHarness harness)
    {
        (SwarmPeer leecher, RecordingLink link) = harness.Connect(SwarmHarness.Plain, FreshAddress(harness));
        harness.Send(leecher, o => PeerMessageWriter.WriteBitfield(o, new PieceSet(PieceCount).AsSpan()));
        harness.Send(leecher, MessageId.Interested);
        Assert.False(leecher.AmChoking);
        BlockRef block = harness.Block(3, 1);
        harness.Send(leecher, o => PeerMessageWriter.WriteBlockReference(o, MessageId.Request, block.Piece, block.Begin, block.Length));
        Assert.Equal([block], link.QueuedBlocks);
        harness.Swarm.OnClosed(leecher);
    }

    /// <summary>
    /// Honest seeders finish the download. Blocks the fuzzer left in started pieces make some of them fail again,
    /// and a seeder completing those may be struck and banned, so a banned seeder is replaced, as in a real swarm.
    /// </summary>
    private static int AssertSwarmStillDownloads(SwarmHarness harness)
    {
        int seeders = 0;
        for (; seeders < 10 && !harness.Swarm.IsComplete; seeders++)
        {
            (SwarmPeer seeder, RecordingLink link) = harness.Connect(ReservedBits.Shoal, FreshAddress(harness));
            harness.Send(seeder, MessageId.HaveAll);
            harness.Send(seeder, MessageId.Unchoke);
            for (int round = 0; round < 1000 && !harness.Swarm.IsComplete && !link.IsClosed; round++)
            {
                List<BlockRef> requests = SwarmHarness.Requests(link.TakeMessages());
                foreach (BlockRef block in requests.TakeWhile(_ => !link.IsClosed))
                {
                    harness.SendPiece(seeder, block);
                }

                harness.CompleteChecks();
                if (requests.Count == 0)
                {
                    harness.Time.Advance(TimeSpan.FromSeconds(1));
                    harness.Swarm.Tick();
                }
            }
        }

        Assert.True(harness.Swarm.IsComplete, "honest seeders could not finish the download after the fuzzing");
        return seeders;
    }

    private static IPAddress FreshAddress(SwarmHarness harness)
    {
        for (int i = 1; ; i++)
        {
            var address = IPAddress.Parse($"172.16.{i / 250}.{(i % 250) + 1}");
            if (!harness.Swarm.IsAddressBanned(address))
            {
                return address;
            }
        }
    }
}
