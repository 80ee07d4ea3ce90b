using System.Buffers;
using System.Net;
using System.Text;
using Shoal.Buffers;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Session;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Tests.Metainfo.Hashing;
using Shoal.Tests.Net;
using Shoal.Tests.Swarm.Harness;
using Shoal.Wire;

namespace Shoal.Tests.Session;

/// <summary>
/// The real <see cref="PieceWorker"/> behind a real swarm, fed by a peer played in the test: it writes each piece before it
/// verifies it, claims it only after, and verifies pieces that come together in sixteen lanes.
/// </summary>
public sealed class PieceWorkerTests
{
    private const int PieceLength = 2 * PieceGeometry.BlockSize;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SixteenLanesFact]
    public async Task Pieces_waiting_for_a_batch_are_on_disk_and_unclaimed_so_a_kill_loses_none_and_the_batch_goes_through_lanes()
    {
        using var temp = new TempFolder();
        byte[] content = TempFolder.RandomBytes(16 * PieceLength, seed: 3);
        Torrent torrent = SyntheticTorrent.Create(content, PieceLength);
        using var files = new FileStorage(torrent, FileStorage.PathsInDownloadFolder(torrent, temp.Path), StorageAccess.ReadWrite);
        files.Allocate();
        using var storage = new CountingStorage(files);

        // A batch closes only when full (or at the end), whatever the machine's load.
        var download = new WorkerDownload(torrent, content, storage, batchBytes: 16 * PieceLength, gatherWait: Timeout);
        var answered = new HashSet<int>();
        while (answered.Count < 8)
        {
            lock (download.Gate)
            {
                answered.Add(download.AnswerOnePiece());
            }
        }

        for (int i = 0; i < answered.Count; i++)
        {
            Assert.True(await storage.Writes.WaitAsync(Timeout), "a piece was not written");
        }

        // Eight pieces wait for the other eight of their batch: written, not claimed. A start after a kill now has no record
        // of them, and the check of what may have been written since finds every one on disk.
        lock (download.Gate)
        {
            Assert.Equal(0, download.Swarm.Have.Count);
        }

        PieceSet found = await StorageChecker.CheckUnrecordedAsync(torrent, files, BufferPool.Shared, new PieceSet(torrent.PieceCount), null, CancellationToken.None);
        Assert.Equal(answered.Order(), Enumerable.Range(0, torrent.PieceCount).Where(p => found[p]));

        // This run goes on: the rest fill the batch, verified in lanes, and all are claimed.
        while (true)
        {
            lock (download.Gate)
            {
                if (download.AnswerAll() == 0)
                {
                    break;
                }
            }
        }

        await download.Worker.DrainAsync().WaitAsync(Timeout);
        Assert.Equal(16, download.Worker.PiecesInLanes);
        lock (download.Gate)
        {
            Assert.True(download.Swarm.IsComplete);
        }

        byte[] stored = new byte[content.Length];
        files.Read(0, stored);
        Assert.Equal(content, stored);
    }

    /// <summary>One leecher's swarm with the real worker, and a peer that has every piece and answers what it is asked.</summary>
    private sealed class WorkerDownload
    {
        private readonly Torrent _torrent;
        private readonly byte[] _content;
        private readonly RecordingLink _link = new(IPAddress.Parse("10.0.0.2"));
        private readonly SwarmPeer _peer;
        private readonly List<BlockRef> _asked = [];
        private readonly int[] _answered;

        public WorkerDownload(Torrent torrent, byte[] content, IPieceStorage storage, long batchBytes, TimeSpan? gatherWait = null)
        {
            _torrent = torrent;
            _content = content;
            _answered = new int[torrent.PieceCount];
            TorrentSwarm? swarm = null;
            Worker = new PieceWorker(torrent, storage, () => swarm!, Gate, e => Assert.Fail(e), () => { }, batchBytes, gatherWait);
            lock (Gate)
            {
                Swarm = swarm = new TorrentSwarm(torrent, new PieceSet(torrent.PieceCount), SwarmSettings.Default, Worker, new ManualTimeProvider(), new Random(1), BufferPool.Shared);
                _peer = swarm.AddPeer(_link, Encoding.ASCII.GetBytes("-PW0000-000000000001"), SwarmHarness.FastOnly);
                SwarmHarness.Deliver(swarm, _peer, o =>
                {
                    PeerMessageWriter.WriteSimple(o, MessageId.HaveAll);
                    PeerMessageWriter.WriteSimple(o, MessageId.Unchoke);
                });
            }
        }

        public Lock Gate { get; } = new();

        public PieceWorker Worker { get; }

        public TorrentSwarm Swarm { get; }

        /// <summary>
        /// Answers what was asked for, block by block in order, until a piece has all its blocks; that piece. The caller holds
        /// <see cref="Gate"/>.
        /// </summary>
        public int AnswerOnePiece()
        {
            while (true)
            {
                _asked.AddRange(SwarmHarness.Requests(_link.TakeMessages()));
                BlockRef block = _asked[0];
                _asked.RemoveAt(0);
                Answer([block]);
                _answered[block.Piece]++;
                if (_answered[block.Piece] == PieceGeometry.BlockCount(_torrent.PieceSize(block.Piece)))
                {
                    return block.Piece;
                }
            }
        }

        /// <summary>Answers every request not yet answered; how many. The caller holds <see cref="Gate"/>.</summary>
        public int AnswerAll()
        {
            _asked.AddRange(SwarmHarness.Requests(_link.TakeMessages()));
            int count = _asked.Count;
            Answer(_asked);
            _asked.Clear();
            return count;
        }

        private void Answer(IEnumerable<BlockRef> blocks) => SwarmHarness.Deliver(Swarm, _peer, o =>
        {
            foreach (BlockRef block in blocks)
            {
                PeerMessageWriter.WritePieceHeader(o, block.Piece, block.Begin, block.Length);
                o.Write(_content.AsSpan((int)_torrent.PieceOffset(block.Piece) + block.Begin, block.Length));
            }
        });
    }

    /// <summary>A storage that counts its writes, each once done.</summary>
    private sealed class CountingStorage(IPieceStorage inner) : IPieceStorage
    {
        public SemaphoreSlim Writes { get; } = new(0);

        public void Read(long offset, Span<byte> destination) => inner.Read(offset, destination);

        public void Write(long offset, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
        {
            inner.Write(offset, buffers);
            Writes.Release();
        }

        public void Flush() => inner.Flush();

        public void Dispose() => Writes.Dispose();
    }
}
