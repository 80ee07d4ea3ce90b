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
    private int _nextNumber = 1;

    private SwarmScenario(Torrent torrent, byte[] content)
    {
        Torrent = torrent;
        _content = content;
    }

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
        return new SwarmScenario(created.Torrent, content);
    }

    public SimulatedNode AddSeeder(SwarmSettings? settings = null)
    {
        var node = new SimulatedNode(Network, $"seed{Seeders.Count}", _nextNumber++, Torrent, MemoryStorage.WithContent(Torrent, _content), seed: true, Pool, settings);
        Seeders.Add(node);
        return node;
    }

    public SimulatedNode AddLeecher(SwarmSettings? settings = null)
    {
        var node = new SimulatedNode(Network, $"leech{Leechers.Count}", _nextNumber++, Torrent, new MemoryStorage(Torrent), seed: false, Pool, settings);
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
                SimulatedLink.Connect(nodes[i], nodes[j]);
            }
        }
    }

    public bool RunUntilLeechersComplete(TimeSpan deadline) =>
        Network.RunUntil(() => Leechers.All(l => l.Swarm.IsComplete), deadline);

    /// <summary>Every leecher's files hold exactly the original content.</summary>
    public void AssertLeechersHaveContent()
    {
        foreach (SimulatedNode leecher in Leechers)
        {
            int position = 0;
            foreach ((FileEntry file, int index) in Torrent.Files.Select((f, i) => (f, i)).Where(p => !p.f.IsPadding))
            {
                Assert.True(_content.AsSpan(position, (int)file.Length).SequenceEqual(leecher.Storage.FileContents(index)), $"{leecher.Name} has wrong bytes in {file.DisplayPath}");
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
