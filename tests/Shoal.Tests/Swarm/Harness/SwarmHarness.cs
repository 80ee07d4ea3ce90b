using System.Buffers;
using System.Net;
using System.Text;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Swarm;
using Shoal.Tests.Net;
using Shoal.Tests.Swarm.Simulation;
using Shoal.Wire;

namespace Shoal.Tests.Swarm.Harness;

/// <summary>
/// One <see cref="TorrentSwarm"/> on a manual clock, over a synthetic torrent of random content, whose peers are
/// <see cref="RecordingLink"/>s a test drives message by message. It is the swarm's piece checker too: checks
/// wait in <see cref="PendingChecks"/> until <see cref="CompleteChecks"/>, as the real checker reports later.
/// </summary>
internal sealed class SwarmHarness : IPieceChecker
{
    /// <summary>BEP 3 only: no fast extension, no extension protocol.</summary>
    public static readonly ReservedBits Plain = new(0);

    /// <summary>BEP 6 without BEP 10.</summary>
    public static readonly ReservedBits FastOnly = new(1UL << 2);

    private int _nextPeer;

    public SwarmHarness(
        int pieceCount, int pieceLength, int lastPieceSize, Func<int, bool>? have = null, SwarmSettings? settings = null, int seed = 1, Func<Torrent, Torrent>? adjust = null)
    {
        Content = TempFolder.RandomBytes(((pieceCount - 1) * pieceLength) + lastPieceSize, seed);
        Torrent = SyntheticTorrent.Create(Content, pieceLength);
        Torrent = adjust?.Invoke(Torrent) ?? Torrent;
        var bitfield = new PieceSet(pieceCount);
        for (int i = 0; i < pieceCount; i++)
        {
            if (have?.Invoke(i) == true)
            {
                bitfield.Set(i);
            }
        }

        Swarm = new TorrentSwarm(Torrent, bitfield, settings ?? SwarmSettings.Default, this, Time, new Random(seed), Pool);
    }

    public static Func<int, bool> All { get; } = _ => true;

    public byte[] Content { get; }

    public Torrent Torrent { get; }

    public ManualTimeProvider Time { get; } = new();

    public TrackingBufferPool Pool { get; } = new();

    public TorrentSwarm Swarm { get; }

    public List<(int Piece, IReadOnlyList<ReadOnlyMemory<byte>> Blocks)> PendingChecks { get; } = [];

    /// <summary>Adds a connection as after a handshake, from 10.0.x.y unless an address is given.</summary>
    public (SwarmPeer Peer, RecordingLink Link) Connect(ReservedBits reserved, IPAddress? address = null, int maxQueuedBlocks = int.MaxValue, PeerTransport transport = PeerTransport.Tcp, bool encrypted = false)
    {
        int number = ++_nextPeer;
        var link = new RecordingLink(address ?? IPAddress.Parse($"10.0.{number / 250}.{(number % 250) + 1}"), maxQueuedBlocks);
        byte[] peerId = Encoding.ASCII.GetBytes($"-TT0000-{number,12}");
        return (Swarm.AddPeer(link, peerId, reserved, transport, encrypted), link);
    }

    /// <summary>Encodes messages, decodes them with <see cref="PeerMessageReader"/> and hands them to the swarm as one batch.</summary>
    public void Send(SwarmPeer peer, Action<IBufferWriter<byte>> write) => Deliver(Swarm, peer, write);

    /// <summary>As <see cref="Send(SwarmPeer, Action{IBufferWriter{byte}})"/>, to any swarm (one with a real checker); the caller holds its lock.</summary>
    public static void Deliver(TorrentSwarm swarm, SwarmPeer peer, Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        var sequence = new ReadOnlySequence<byte>(output.WrittenMemory);
        var reader = new PeerMessageReader();
        try
        {
            while (reader.TryRead(ref sequence, out PeerMessage message))
            {
                swarm.OnMessage(peer, message);
            }
        }
        finally
        {
            swarm.EndBatch();
        }

        Assert.True(sequence.IsEmpty, "the test wrote an unfinished message");
    }

    public void Send(SwarmPeer peer, MessageId simple) => Send(peer, o => PeerMessageWriter.WriteSimple(o, simple));

    public void SendBlockReference(SwarmPeer peer, MessageId id, BlockRef block) =>
        Send(peer, o => PeerMessageWriter.WriteBlockReference(o, id, block.Piece, block.Begin, block.Length));

    /// <summary>A piece message carrying the block's real bytes (or corrupted ones).</summary>
    public void SendPiece(SwarmPeer peer, BlockRef block, bool corrupt = false) => Send(peer, o =>
    {
        PeerMessageWriter.WritePieceHeader(o, block.Piece, block.Begin, block.Length);
        byte[] data = BlockData(block);
        if (corrupt)
        {
            data[0] ^= 0xFF;
        }

        o.Write(data);
    });

    public byte[] BlockData(BlockRef block) => Content.AsSpan((int)Torrent.PieceOffset(block.Piece) + block.Begin, block.Length).ToArray();

    public BlockRef Block(int piece, int blockIndex)
    {
        int begin = blockIndex * PieceGeometry.BlockSize;
        return new BlockRef(piece, begin, Math.Min(PieceGeometry.BlockSize, Torrent.PieceSize(piece) - begin));
    }

    public void CheckAndStore(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks) => PendingChecks.Add((piece, blocks));

    /// <summary>Pieces the swarm asked to have their blocks hashed, waiting until <see cref="CompleteBlockHashes"/>.</summary>
    public List<int> PendingBlockHashes { get; } = [];

    public void HashBlocks(int piece) => PendingBlockHashes.Add(piece);

    /// <summary>Reports the leaf hashes of every piece waiting, from the content's bytes.</summary>
    public void CompleteBlockHashes()
    {
        while (PendingBlockHashes.Count > 0)
        {
            int piece = PendingBlockHashes[0];
            PendingBlockHashes.RemoveAt(0);
            Swarm.OnBlockHashes(piece, SyntheticV2.Leaves(Content.AsSpan((int)Torrent.PieceOffset(piece), Torrent.PieceSize(piece))));
        }
    }

    /// <summary>Reports every waiting check: passed when the blocks are the content's bytes.</summary>
    public void CompleteChecks()
    {
        while (PendingChecks.Count > 0)
        {
            (int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks) = PendingChecks[0];
            PendingChecks.RemoveAt(0);
            byte[] data = [.. blocks.SelectMany(b => b.ToArray())];
            bool passed = data.AsSpan().SequenceEqual(Content.AsSpan((int)Torrent.PieceOffset(piece), Torrent.PieceSize(piece)));
            Swarm.OnPieceChecked(piece, passed);
        }
    }

    /// <summary>Requests among <paramref name="messages"/>, as blocks.</summary>
    public static List<BlockRef> Requests(IEnumerable<WireMessage> messages) =>
        [.. messages.Where(m => m.Id == MessageId.Request).Select(m => new BlockRef(m.Index, m.Begin, m.Length))];
}
