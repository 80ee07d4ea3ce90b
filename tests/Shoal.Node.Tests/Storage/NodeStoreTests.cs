using Shoal.Node.Storage;
using Shoal.Tests;

namespace Shoal.Node.Tests.Storage;

public sealed class NodeStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string DatabasePath => Path.Combine(_folder.Path, "node.db");

    [Fact]
    public void A_saved_torrent_reads_back_the_same()
    {
        StoredTorrent torrent = Sample("aa", NodeTorrentState.Downloading);
        using NodeStore store = NodeStore.Open(DatabasePath);
        store.Save(torrent);

        StoredTorrent read = Assert.Single(store.All());
        Assert.Equal(torrent with { Source = read.Source }, read);
        Assert.Equal(torrent.Source, read.Source);
    }

    [Fact]
    public void A_state_change_is_kept_with_its_error()
    {
        using NodeStore store = NodeStore.Open(DatabasePath);
        store.Save(Sample("aa", NodeTorrentState.Downloading));
        store.SetState("aa", NodeTorrentState.Error, "disk full");

        StoredTorrent read = Assert.Single(store.All());
        Assert.Equal(NodeTorrentState.Error, read.State);
        Assert.Equal("disk full", read.Error);
    }

    [Fact]
    public async Task File_priorities_are_kept_and_a_write_racing_the_close_is_dropped_not_a_crash()
    {
        NodeStore store = NodeStore.Open(DatabasePath);
        store.Save(Sample("aa", NodeTorrentState.Downloading));
        store.SetFilePriorities("aa", [0, 1, 2]);
        Assert.Equal([0, 1, 2], Assert.Single(store.All()).FilePriorities);

        // A torrent finishing as the node stops records its state from the engine's thread while the store closes.
        using var writing = new ManualResetEventSlim();
        Task writer = Task.Run(() =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                store.SetState("aa", i % 2 == 0 ? NodeTorrentState.Seeding : NodeTorrentState.Downloading, null);
                writing.Set();
            }
        });
        Assert.True(writing.Wait(TimeSpan.FromSeconds(30)));
        store.Dispose();
        await writer;

        using NodeStore reopened = NodeStore.Open(DatabasePath);
        Assert.Equal([0, 1, 2], Assert.Single(reopened.All()).FilePriorities);
    }

    [Fact]
    public void A_magnet_source_can_become_its_metadata()
    {
        using NodeStore store = NodeStore.Open(DatabasePath);
        store.Save(Sample("aa", NodeTorrentState.Metadata) with { SourceKind = TorrentSourceKind.Magnet });
        store.SetSource("aa", TorrentSourceKind.Metadata, [9, 9]);

        StoredTorrent read = Assert.Single(store.All());
        Assert.Equal(TorrentSourceKind.Metadata, read.SourceKind);
        Assert.Equal(new byte[] { 9, 9 }, read.Source);
    }

    [Fact]
    public void Torrents_survive_reopening_and_deletes_too()
    {
        using (NodeStore store = NodeStore.Open(DatabasePath))
        {
            store.Save(Sample("aa", NodeTorrentState.Paused));
            store.Save(Sample("bb", NodeTorrentState.Seeding));
            store.Save(Sample("cc", NodeTorrentState.Seeding));
            store.Delete("cc");
        }

        using NodeStore reopened = NodeStore.Open(DatabasePath);
        Assert.Equal(
            [("aa", NodeTorrentState.Paused), ("bb", NodeTorrentState.Seeding)],
            reopened.All().Select(t => (t.Id, t.State)).OrderBy(t => t.Id));
    }

    public void Dispose() => _folder.Dispose();

    private static StoredTorrent Sample(string id, NodeTorrentState state) => new(
        id, TorrentSourceKind.TorrentFile, [1, 2, 3], "/tmp/downloads", state, null, 1000, 2000, new DateTimeOffset(2026, 12, 6, 20, 0, 0, TimeSpan.Zero));
}
