using System.Net;
using Shoal.Metainfo.Creation;
using Shoal.Node.Storage;
using Shoal.Node.Torrents;
using Shoal.Tests;

namespace Shoal.Node.Tests.Hosting;

public sealed class NodeHostTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task An_api_request_without_the_token_or_with_a_wrong_one_gets_401()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using var anonymous = new HttpClient { BaseAddress = node.ApiUrl };
        using HttpClient wrong = TestNode.Client(node, token: new string('0', node.Token.Value.Length));

        foreach (HttpClient client in new[] { anonymous, wrong })
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri("api/v1/torrents", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_token_file_is_readable_by_its_owner_only_and_kept_across_restarts()
    {
        string first;
        await using (NodeHost node = await TestNode.StartAsync(_folder.Path))
        {
            first = node.Token.Value;
        }

        string tokenFile = Path.Combine(_folder.Path, "data", "api-token");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        }

        await using NodeHost again = await TestNode.StartAsync(_folder.Path);
        Assert.Equal(first, again.Token.Value);
        Assert.Equal(64, first.Length);
        Assert.Equal(again.ApiUrl.ToString(), File.ReadAllText(Path.Combine(_folder.Path, "data", "api-endpoint")).Trim());
    }

    [Fact]
    public async Task A_non_loopback_api_address_is_refused_without_insecure_bind()
    {
        NodeOptions options = TestNode.Options(_folder.Path) with { Api = new IPEndPoint(IPAddress.Any, 0) };

        NodeException refused = await Assert.ThrowsAsync<NodeException>(() => NodeHost.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        Assert.Contains("--insecure-bind", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dht_routing_table_and_node_id_are_kept_in_the_data_folder()
    {
        NodeOptions options = TestNode.Options(_folder.Path);
        options = options with { Session = options.Session with { Dht = new Shoal.Session.SessionDhtOptions { StateFile = Path.Combine(_folder.Path, "shared-dht.dat") } } };

        Shoal.Discovery.Dht.NodeId id;
        await using (NodeHost node = await NodeHost.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance))
        {
            id = node.Session.DhtState!.Id;
        }

        Assert.True(File.Exists(Path.Combine(_folder.Path, "data", "dht-nodes.dat")));
        Assert.False(File.Exists(Path.Combine(_folder.Path, "shared-dht.dat")));

        // The node's file is its own, so its id comes back with it (the DHT starts off the start-up path: wait for it).
        await using NodeHost again = await NodeHost.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        for (int i = 0; i < 200 && again.Session.DhtState!.Id != id; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(id, again.Session.DhtState!.Id);
    }

    [Fact]
    public async Task A_restart_brings_torrents_back_in_their_states()
    {
        string seeded = _folder.File("seeded.bin", TempFolder.RandomBytes(100_000, 1));
        string paused = _folder.File("paused.bin", TempFolder.RandomBytes(100_000, 2));
        CreatedTorrent seededTorrent = await TorrentCreator.CreateAsync(seeded, new TorrentCreationOptions());
        CreatedTorrent pausedTorrent = await TorrentCreator.CreateAsync(paused, new TorrentCreationOptions());
        await using (NodeHost node = await TestNode.StartAsync(_folder.Path))
        {
            node.Torrents.Add(seededTorrent.Torrent, seededTorrent.FileBytes, _folder.Path, paused: false, contentPath: seeded);
            (NodeTorrent second, _) = node.Torrents.Add(pausedTorrent.Torrent, pausedTorrent.FileBytes, _folder.Path, paused: false, contentPath: paused);
            await node.Torrents.PauseAsync(second);
        }

        await using NodeHost restarted = await TestNode.StartAsync(_folder.Path);
        NodeTorrent seeding = restarted.Torrents.Find(seededTorrent.Torrent.InfoHashes.V1!.ToHex())!;
        await seeding.Handle!.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(NodeTorrentState.Seeding, seeding.State);
        NodeTorrent stillPaused = restarted.Torrents.Find(pausedTorrent.Torrent.InfoHashes.V2!.ToHex())!;
        Assert.Equal(NodeTorrentState.Paused, stillPaused.State);

        // Added paused, it has never been checked: resuming checks it, and it seeds.
        restarted.Torrents.Resume(stillPaused);
        await stillPaused.Handle!.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(NodeTorrentState.Seeding, stillPaused.State);
    }

    public void Dispose() => _folder.Dispose();
}
