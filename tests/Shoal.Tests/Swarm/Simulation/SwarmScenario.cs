using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Storage;
using Shoal.Swarm;

namespace Shoal.Tests.Swarm.Simulation;

/// <summary>A torrent of random content and the nodes of an in-memory swarm sharing it.</summary>
internal sealed class SwarmScenario : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly byte[] _content;
    private readonly HashSet<(SimulatedNode, SimulatedNode)> _connected = [];
    private byte[]? _addressSpace;
    private int _nextNumber = 1;
    private int _completedLeechers;

    private SwarmScenario(Torrent torrent, byte[] content, int seed)
    {
        Torrent = torrent;
        _content = content;
        Seed = seed;
        Random = new Random(seed);
    }

    /// <summary>Everything random in the scenario (content, each node's choices, its wiring) follows from it.</summary>
    public int Seed { get; }

    /// <summary>The scenario's own draws: wiring and whatever a test varies between nodes.</summary>
    public Random Random { get; }

    public SimulatedNetwork Network { get; } = new();

    public TrackingBufferPool Pool { get; } = new();

    public Torrent Torrent { get; }

    public List<SimulatedNode> Seeders { get; } = [];

    public List<SimulatedNode> Leechers { get; } = [];

    public IEnumerable<SimulatedNode> Nodes => Seeders.Concat(Leechers);

    public static async Task<SwarmScenario> CreateAsync(int size, int pieceLength, int seed, TorrentVersion version = TorrentVersion.V1)
    {
        byte[] content = TempFolder.RandomBytes(size, seed);
        using var folder = new TempFolder();
        string path = folder.File("content.bin", content);
        CreatedTorrent created = await TorrentCreator.CreateAsync(path, new TorrentCreationOptions { Version = version, PieceLength = pieceLength }, null, CancellationToken.None);
        return new SwarmScenario(created.Torrent, content, seed);
    }

    public SimulatedNode AddSeeder(SwarmSettings? settings = null)
    {
        var node = new SimulatedNode(Network, Setup($"seed{Seeders.Count}", settings), Torrent, MemoryStorage.WithContent(Torrent, _content), seed: true, Pool);
        Seeders.Add(node);
        return node;
    }

    /// <summary>
    /// A leecher with storage of its own, or, when <paramref name="sharedContent"/>, one that checks pieces by comparing
    /// them with the true content and keeps no copy (<see cref="SharedContentStorage"/>), as a thousand leechers need.
    /// </summary>
    public SimulatedNode AddLeecher(SwarmSettings? settings = null, bool sharedContent = false)
    {
        string name = $"leech{Leechers.Count}";
        SimulatedNode node;
        if (sharedContent)
        {
            byte[] addressSpace = _addressSpace ??= MemoryStorage.WithContent(Torrent, _content).Contents.ToArray();
            node = new SimulatedNode(
                Network,
                Setup(name, settings) with { Verify = (piece, blocks) => SharedContentStorage.Matches(addressSpace, Torrent.PieceOffset(piece), blocks) },
                Torrent,
                new SharedContentStorage(Torrent, addressSpace),
                seed: false,
                Pool);
        }
        else
        {
            node = new SimulatedNode(Network, Setup(name, settings), Torrent, new MemoryStorage(Torrent), seed: false, Pool);
        }

        node.Completed += () => _completedLeechers++;
        Leechers.Add(node);
        return node;
    }

    /// <summary>Connects every node to every other.</summary>
    public void ConnectAll()
    {
        List<SimulatedNode> nodes = [.. Nodes];
        for (int i = 0; i < nodes.Count; i++)
        {
            for (int j = i + 1; j < nodes.Count; j++)
            {
                Connect(nodes[i], nodes[j]);
            }
        }
    }

    /// <summary>
    /// Wires the swarm as trackers do: each leecher in turn is given <paramref name="answer"/> peers drawn at random from
    /// every other node (seeders included) and dials those it is not yet connected to, while both ends have fewer than
    /// <paramref name="maxConnections"/> connections (a client's connection limit).
    /// </summary>
    public void ConnectLikeTracker(int answer, int maxConnections)
    {
        SimulatedNode[] nodes = [.. Nodes];
        foreach (SimulatedNode leecher in Leechers)
        {
            // A partial Fisher-Yates shuffle draws the answer without repeats.
            for (int i = 0; i < Math.Min(answer, nodes.Length); i++)
            {
                int j = i + Random.Next(nodes.Length - i);
                (nodes[i], nodes[j]) = (nodes[j], nodes[i]);
                SimulatedNode other = nodes[i];
                if (other != leecher && leecher.LinkCount < maxConnections && other.LinkCount < maxConnections && !_connected.Contains((leecher, other)))
                {
                    Connect(leecher, other);
                }
            }
        }
    }

    private void Connect(SimulatedNode a, SimulatedNode b)
    {
        _connected.Add((a, b));
        _connected.Add((b, a));
        SimulatedLink.Connect(a, b);
    }

    private NodeSetup Setup(string name, SwarmSettings? settings)
    {
        int number = _nextNumber++;
        return new NodeSetup(name, number, unchecked((Seed * 1_000_003) + number), TimeSpan.FromSeconds(1), settings);
    }

    public bool RunUntilLeechersComplete(TimeSpan deadline) =>
        Network.RunUntil(() => _completedLeechers == Leechers.Count, deadline);

    /// <summary>Every leecher's files hold exactly the original content.</summary>
    public void AssertLeechersHaveContent()
    {
        foreach (SimulatedNode leecher in Leechers)
        {
            if (leecher.Storage is SharedContentStorage shared)
            {
                // Only pieces that matched the true content were written.
                Assert.True(Enumerable.Range(0, Torrent.PieceCount).All(shared.IsWritten), $"{leecher.Name} lacks pieces");
                continue;
            }

            var storage = (MemoryStorage)leecher.Storage;
            int position = 0;
            foreach ((FileEntry file, int index) in Torrent.Files.Select((f, i) => (f, i)).Where(p => !p.f.IsPadding))
            {
                Assert.True(_content.AsSpan(position, (int)file.Length).SequenceEqual(storage.FileContents(index)), $"{leecher.Name} has wrong bytes in {file.DisplayPath}");
                position += (int)file.Length;
            }
        }
    }

    /// <summary>Closes every swarm, lets the checks in flight finish, and asserts every pooled buffer came back.</summary>
    public void StopAndAssertBuffersReturned()
    {
        foreach (SimulatedNode node in Nodes)
        {
            node.Swarm.Close();
        }

        Network.RunFor(TimeSpan.FromSeconds(1));
        Pool.AssertAllReturned();
    }

    public void Dispose() => _folder.Dispose();
}
