using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Session;
using Shoal.Storage;
using Shoal.Swarm;
using Shoal.Tests.Net;
using Shoal.Tests.Swarm.Harness;
using Shoal.Tests.Swarm.Simulation;
using Shoal.Wire;

namespace Shoal.Tests.Session;

/// <summary>
/// What a download holds in memory does not grow with the torrent when the disk is slower than the peer: a 4 GiB
/// torrent from a peer that answers every request at once, checked and written by the real <see cref="PieceWorker"/>
/// to a disk that takes its time. Every block the engine holds is a pooled buffer, so the pool's peak is the bound.
/// </summary>
public sealed class SlowDiskMemoryTests
{
    private const long Size = 4L * 1024 * 1024 * 1024;
    private const int PieceLength = 1024 * 1024;

    // Slower than the peer (a memory copy) and than hashing on two cores, so the backlog builds before the disk.
    private const long DiskBytesPerSecond = 1L * 1024 * 1024 * 1024;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Two limits stop new pieces, each enough alone: bytes waiting for the checker (to be written, or written and to be
    /// verified), and all blocks held or asked for (the write cache). The disk holds the checker back, so the first binds;
    /// without it, the second.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_4_GiB_download_to_a_slow_disk_holds_no_more_than_its_limits_allow(bool checkQueueLimited)
    {
        SwarmSettings settings = checkQueueLimited ? SwarmSettings.Default : SwarmSettings.Default with { CheckQueueLimit = long.MaxValue, UnwrittenLimit = long.MaxValue };
        long limit = checkQueueLimited ? settings.CheckQueueLimit : settings.WriteCacheLimit;

        // Pieces started before the limit was reached finish, one per checker and one being received.
        long bound = limit + ((Environment.ProcessorCount + 1) * (long)PieceLength);
        using var disk = new SlowDisk(DiskBytesPerSecond);
        var download = new ZeroPeerDownload(ZeroTorrent(Size, PieceLength), disk, settings);
        long written = await download.RunAsync(bound, Deadline);

        Assert.Equal(Size, written);
        Assert.True(download.Pool.PeakOutstandingBytes <= bound, $"held {download.Pool.PeakOutstandingBytes} bytes, over {bound}");
        download.Pool.AssertAllReturned();
    }

    /// <summary>A torrent of zeros: every piece has the same SHA-1, hashed once, and the content needs no memory.</summary>
    private static Torrent ZeroTorrent(long size, int pieceLength)
    {
        int pieceCount = (int)(size / pieceLength);
        byte[] pieceHash = SHA1.HashData(new byte[pieceLength]);
        byte[] hashes = new byte[pieceCount * pieceHash.Length];
        for (int i = 0; i < pieceCount; i++)
        {
            pieceHash.CopyTo(hashes, i * pieceHash.Length);
        }

        return new Torrent
        {
            Name = "zeros.bin",
            PieceLength = pieceLength,
            PieceCount = pieceCount,
            Version = TorrentVersion.V1,
            InfoHashes = new InfoHashes(SyntheticTorrent.DefaultInfoHash, null),
            InfoBytes = ReadOnlyMemory<byte>.Empty,
            Files = [new FileEntry { Path = ["zeros.bin"], Length = size, Offset = 0 }],
            IsMultiFile = false,
            PieceHashesV1 = hashes,
        };
    }

    /// <summary>
    /// One leecher's swarm and real piece worker, fed by a peer played in the test: it has every piece, unchokes, and
    /// answers each request as soon as the swarm sends it, with zeros.
    /// </summary>
    private sealed class ZeroPeerDownload(Torrent torrent, IPieceStorage storage, SwarmSettings settings)
    {
        private readonly Lock _gate = new();
        private readonly SignallingLink _link = new();
        private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<string> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TrackingBufferPool Pool { get; } = new();

        /// <summary>Runs the download to its end, failing as soon as the pool holds more than <paramref name="bound"/>; returns the bytes written.</summary>
        public async Task<long> RunAsync(long bound, TimeSpan deadline)
        {
            TorrentSwarm? swarm = null;
            var worker = new PieceWorker(torrent, storage, () => swarm!, _gate, e => _failed.TrySetResult(e), () => _completed.TrySetResult(), settings.CheckBatchBytes);
            SwarmPeer peer;
            lock (_gate)
            {
                swarm = new TorrentSwarm(torrent, new PieceSet(torrent.PieceCount), settings, worker, new ManualTimeProvider(), new Random(1), Pool);
                peer = swarm.AddPeer(_link, Encoding.ASCII.GetBytes("-ZP0000-000000000001"), SwarmHarness.FastOnly);
                SwarmHarness.Deliver(swarm, peer, o =>
                {
                    PeerMessageWriter.WriteSimple(o, MessageId.HaveAll);
                    PeerMessageWriter.WriteSimple(o, MessageId.Unchoke);
                });
            }

            byte[] zeros = new byte[PieceGeometry.BlockSize];
            var answers = new ArrayBufferWriter<byte>();
            var clock = Stopwatch.StartNew();
            while (!_completed.Task.IsCompleted)
            {
                Assert.False(_failed.Task.IsCompleted, _failed.Task.IsCompleted ? _failed.Task.Result : null);
                Assert.True(clock.Elapsed < deadline, $"{storage} after {deadline}");
                List<BlockRef> requests;
                Task flushed;
                lock (_gate)
                {
                    // Taken first, under the lock the swarm flushes under: no flush falls between it and the messages.
                    flushed = _link.Flushed();
                    requests = SwarmHarness.Requests(_link.TakeMessages());
                }

                if (requests.Count == 0)
                {
                    // The swarm asks again when a piece is checked and written; the worker's verdict wakes us.
                    await Task.WhenAny(flushed, _completed.Task, _failed.Task).WaitAsync(deadline);
                    continue;
                }

                answers.ResetWrittenCount();
                foreach (BlockRef block in requests)
                {
                    PeerMessageWriter.WritePieceHeader(answers, block.Piece, block.Begin, block.Length);
                    answers.Write(zeros.AsSpan(0, block.Length));
                }

                lock (_gate)
                {
                    SwarmHarness.Deliver(swarm, peer, o => o.Write(answers.WrittenSpan));
                }

                Assert.True(Pool.PeakOutstandingBytes <= bound, $"the download held {Pool.PeakOutstandingBytes} bytes, over {bound}, with {storage}");
            }

            await worker.DrainAsync();
            lock (_gate)
            {
                swarm.Close();
            }

            return storage is SlowDisk disk ? disk.Written : 0;
        }
    }

    /// <summary>A <see cref="RecordingLink"/> whose flushes can be awaited.</summary>
    private sealed class SignallingLink : IPeerLink
    {
        private readonly RecordingLink _inner = new(IPAddress.Parse("10.0.0.2"));
        private TaskCompletionSource _flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IPEndPoint Remote => _inner.Remote;

        public IBufferWriter<byte> Output => _inner.Output;

        public long QueuedBytes => 0;

        /// <summary>Completes at the next flush after this call.</summary>
        public Task Flushed() => Volatile.Read(ref _flushed).Task;

        public void Flush()
        {
            _inner.Flush();
            Interlocked.Exchange(ref _flushed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public bool SendBlock(BlockRef block) => _inner.SendBlock(block);

        public bool TryCancelBlock(BlockRef block) => _inner.TryCancelBlock(block);

        public void TakeBackQueuedBlocks(List<BlockRef> removed) => _inner.TakeBackQueuedBlocks(removed);

        public void Close(string reason) => _inner.Close(reason);

        public List<WireMessage> TakeMessages() => _inner.TakeMessages();
    }

    /// <summary>One disk writing at a fixed rate, one write at a time; it keeps nothing and reads zeros.</summary>
    private sealed class SlowDisk(long bytesPerSecond) : IPieceStorage
    {
        private readonly Lock _device = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _busyUntil;
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        public void Read(long offset, Span<byte> destination) => destination.Clear();

        public void Write(long offset, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
        {
            long length = buffers.Sum(b => (long)b.Length);
            lock (_device)
            {
                TimeSpan start = _clock.Elapsed > _busyUntil ? _clock.Elapsed : _busyUntil;
                _busyUntil = start + TimeSpan.FromSeconds((double)length / bytesPerSecond);
                TimeSpan wait = _busyUntil - _clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    // The disk's own slowness, not a wait for another part of the test.
                    Thread.Sleep(wait);
                }
            }

            Interlocked.Add(ref _written, length);
        }

        public void Flush()
        {
        }

        public void Dispose()
        {
        }

        public override string ToString() => $"{Written} bytes written";
    }
}
