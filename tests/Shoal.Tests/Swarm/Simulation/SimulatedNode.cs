using System.Net;
using System.Text;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;
using Shoal.Swarm;

using Shoal.Tests.Swarm.Harness;

namespace Shoal.Tests.Swarm.Simulation;

/// <summary>
/// One peer of an in-memory swarm: a real <see cref="TorrentSwarm"/> over a storage, ticked once a virtual second,
/// behind an access link of its own: an uplink that sends one item at a time, taking its links in turn (as TCP
/// flows share a bottleneck), a downlink that delivers what arrives in order at its own rate, and a latency.
/// </summary>
internal sealed class SimulatedNode : IPieceChecker
{
    /// <summary>Bytes that take no noticeable time on an access link: a few control messages (a HAVE is 9).</summary>
    private const int SmallItem = 1024;

    private readonly SimulatedNetwork _network;
    private readonly List<SimulatedLink> _links = [];
    private readonly Queue<SimulatedLink> _uplinkTurns = new();
    private readonly Func<int, IReadOnlyList<ReadOnlyMemory<byte>>, bool> _verify;
    private bool _uplinkBusy;
    private TimeSpan _downlinkFreeAt;

    public SimulatedNode(SimulatedNetwork network, NodeSetup setup, Torrent torrent, IPieceStorage storage, bool seed, TrackingBufferPool pool)
    {
        _network = network;
        Name = setup.Name;
        Address = IPAddress.Parse($"10.{(setup.Number >> 16) & 0xFF}.{(setup.Number >> 8) & 0xFF}.{setup.Number & 0xFF}");
        PeerId = Encoding.ASCII.GetBytes($"-SIM000-{setup.Name,-12}"[..20]);
        Torrent = torrent;
        Storage = storage;
        _verify = setup.Verify ?? ((piece, blocks) => PieceVerifier.Verify(torrent, piece, blocks));
        var have = new PieceSet(torrent.PieceCount);
        if (seed)
        {
            have.SetAll();
        }

        Swarm = new TorrentSwarm(torrent, have, setup.Settings ?? SwarmSettings.Default, this, network.Time, new Random(setup.RandomSeed), pool);
        network.Schedule(setup.FirstTick, Tick);
    }

    public string Name { get; }

    /// <summary>Its own unless set, before connecting, to another node's: both behind one home router.</summary>
    public IPAddress Address { get; set; }

    public byte[] PeerId { get; }

    public Torrent Torrent { get; }

    public IPieceStorage Storage { get; }

    public TorrentSwarm Swarm { get; }

    /// <summary>Bytes per second this node sends, shared by all its links.</summary>
    public long UploadBandwidth { get; set; } = 10 * 1024 * 1024;

    /// <summary>Bytes per second this node receives, shared by all its links; 0 for no limit.</summary>
    public long DownloadBandwidth { get; set; }

    /// <summary>One-way delay of this node's access link: a path's latency is the sum of its two ends'.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(2.5);

    /// <summary>Flips a byte in every block this node sends of the pieces it returns true for.</summary>
    public Func<int, bool>? CorruptPiece { get; set; }

    /// <summary>Flips a byte in the blocks this node sends that it returns true for.</summary>
    public Func<BlockRef, bool>? CorruptBlock { get; set; }

    /// <summary>Called with each block this node puts on a link, in the order they go out.</summary>
    public Action<BlockRef>? BlockSent { get; set; }

    /// <summary>Stops answering anything, without closing its connections.</summary>
    public bool IsSilent { get; set; }

    public TimeSpan? CompletedAt { get; private set; }

    /// <summary>Raised once, when the last wanted piece is checked.</summary>
    public event Action? Completed;

    public int LinkCount => _links.Count;

    /// <summary>Whether the uplink is sending an item now.</summary>
    public bool IsUplinkBusy => _uplinkBusy;

    public string PeerIdText => Shoal.Swarm.PeerIdText.Format(PeerId);

    internal SimulatedNetwork Network => _network;

    internal void AddLink(SimulatedLink link) => _links.Add(link);

    /// <summary>Drops every connection at once, as a crashed process would.</summary>
    public void Vanish()
    {
        foreach (SimulatedLink link in _links.ToArray())
        {
            link.Close("vanished");
        }

        Swarm.Close();
    }

    public void CheckAndStore(int piece, IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        // The real checker works off the swarm's loop and reports later; so does this one.
        _network.Schedule(TimeSpan.FromMilliseconds(1), () =>
        {
            bool passed = _verify(piece, blocks);
            if (passed)
            {
                Storage.Write(Torrent.PieceOffset(piece), blocks);
            }

            Swarm.OnPieceChecked(piece, passed);
            if (Swarm.IsComplete && CompletedAt is null)
            {
                CompletedAt = _network.Now;
                Completed?.Invoke();
            }
        });
    }

    public void HashBlocks(int piece) => _network.Schedule(TimeSpan.FromMilliseconds(1), () =>
    {
        var data = new byte[Torrent.PieceSize(piece)];
        Storage.Read(Torrent.PieceOffset(piece), data);
        Swarm.OnBlockHashes(piece, SyntheticV2.Leaves(data));
    });

    /// <summary>A link has something to send: it waits for its turn on the uplink.</summary>
    internal void OnQueued(SimulatedLink link)
    {
        if (link.IsWithUplink)
        {
            return;
        }

        // A few bytes of messages go at once, as TCP slips a small segment in between other flows' data; a link
        // with items in line keeps its order.
        if (!IsSilent && link.TakeSmall(SmallItem) is { } small)
        {
            link.Transmit(small, small.Length, pooled: false);
            return;
        }

        link.IsWithUplink = true;
        _uplinkTurns.Enqueue(link);
        SendNext();
    }

    /// <summary>Bytes from <paramref name="link"/>'s far end reached this node: the downlink passes them on in arrival order at its rate.</summary>
    internal void Arrive(SimulatedLink link, byte[] bytes, int length, bool pooled)
    {
        bool idle = _downlinkFreeAt <= _network.Now;
        if (DownloadBandwidth <= 0 || (idle && length <= SmallItem))
        {
            link.Receive(bytes, length, pooled);
            return;
        }

        TimeSpan start = _downlinkFreeAt > _network.Now ? _downlinkFreeAt : _network.Now;
        _downlinkFreeAt = start + Transfer(length, DownloadBandwidth);
        _network.Schedule(_downlinkFreeAt - _network.Now, () => link.Receive(bytes, length, pooled));
    }

    private static TimeSpan Transfer(int bytes, long bandwidth) => TimeSpan.FromTicks(Math.Max(1, bytes * TimeSpan.TicksPerSecond / bandwidth));

    /// <summary>Sends one item of the link whose turn it is; the link goes to the back of the line if it has more.</summary>
    private void SendNext()
    {
        while (!_uplinkBusy && !IsSilent && _uplinkTurns.TryDequeue(out SimulatedLink? link))
        {
            byte[]? bytes = link.TakeNext(out int length, out bool pooled);
            if (bytes is null)
            {
                link.IsWithUplink = false;
                continue;
            }

            _uplinkBusy = true;
            _network.Schedule(Transfer(length, UploadBandwidth), () =>
            {
                _uplinkBusy = false;
                link.Transmit(bytes, length, pooled);
                if (link.HasQueued && !link.IsClosed)
                {
                    _uplinkTurns.Enqueue(link);
                }
                else
                {
                    link.IsWithUplink = false;
                }

                SendNext();
            });
        }
    }

    private void Tick()
    {
        if (Swarm.IsClosed)
        {
            return;
        }

        if (!IsSilent)
        {
            Swarm.Tick();
        }

        _network.Schedule(TimeSpan.FromSeconds(1), Tick);
    }
}

/// <summary>What tells one node from another at its creation.</summary>
/// <param name="Verify">Checks a complete piece; the default hashes it against the torrent.</param>
internal sealed record NodeSetup(string Name, int Number, int RandomSeed, TimeSpan FirstTick, SwarmSettings? Settings = null, Func<int, IReadOnlyList<ReadOnlyMemory<byte>>, bool>? Verify = null);
