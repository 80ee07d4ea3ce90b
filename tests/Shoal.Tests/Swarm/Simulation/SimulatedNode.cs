using System.Net;
using System.Text;
using Shoal.Metainfo;
using Shoal.Primitives;
using Shoal.Storage;
using Shoal.Swarm;

using Shoal.Tests.Swarm.Harness;

namespace Shoal.Tests.Swarm.Simulation;

/// <summary>One peer of an in-memory swarm: a real <see cref="TorrentSwarm"/> over <see cref="MemoryStorage"/>, ticked once a virtual second.</summary>
internal sealed class SimulatedNode : IPieceChecker
{
    private readonly SimulatedNetwork _network;
    private readonly List<SimulatedLink> _links = [];

    public SimulatedNode(SimulatedNetwork network, string name, int number, Torrent torrent, MemoryStorage storage, bool seed, TrackingBufferPool pool, SwarmSettings? settings = null)
    {
        _network = network;
        Name = name;
        Address = IPAddress.Parse($"10.0.0.{number}");
        PeerId = Encoding.ASCII.GetBytes($"-SIM000-{name,-12}"[..20]);
        Torrent = torrent;
        Storage = storage;
        var have = new PieceSet(torrent.PieceCount);
        if (seed)
        {
            have.SetAll();
        }

        Swarm = new TorrentSwarm(torrent, have, settings ?? SwarmSettings.Default, this, network.Time, new Random(number), pool);
        network.Schedule(TimeSpan.FromSeconds(1), Tick);
    }

    public string Name { get; }

    /// <summary>Its own unless set, before connecting, to another node's: both behind one home router.</summary>
    public IPAddress Address { get; set; }

    public byte[] PeerId { get; }

    public Torrent Torrent { get; }

    public MemoryStorage Storage { get; }

    public TorrentSwarm Swarm { get; }

    /// <summary>Bytes per second this node can send on each link.</summary>
    public long UploadBandwidth { get; set; } = 10 * 1024 * 1024;

    /// <summary>Flips a byte in every block this node sends of the pieces it returns true for.</summary>
    public Func<int, bool>? CorruptPiece { get; set; }

    /// <summary>Flips a byte in the blocks this node sends that it returns true for.</summary>
    public Func<BlockRef, bool>? CorruptBlock { get; set; }

    /// <summary>Called with each block this node puts on a link, in the order they go out.</summary>
    public Action<BlockRef>? BlockSent { get; set; }

    /// <summary>Stops answering anything, without closing its connections.</summary>
    public bool IsSilent { get; set; }

    public TimeSpan? CompletedAt { get; private set; }

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
            bool passed = PieceVerifier.Verify(Torrent, piece, blocks);
            if (passed)
            {
                Storage.Write(Torrent.PieceOffset(piece), blocks);
            }

            Swarm.OnPieceChecked(piece, passed);
            if (Swarm.IsComplete && CompletedAt is null)
            {
                CompletedAt = _network.Now;
            }
        });
    }

    public void HashBlocks(int piece) => _network.Schedule(TimeSpan.FromMilliseconds(1), () =>
    {
        var data = new byte[Torrent.PieceSize(piece)];
        Storage.Read(Torrent.PieceOffset(piece), data);
        Swarm.OnBlockHashes(piece, SyntheticV2.Leaves(data));
    });

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
