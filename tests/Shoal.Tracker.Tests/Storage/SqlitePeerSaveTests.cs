using System.Net;
using Shoal.Tests;
using Shoal.Tracker.Storage.Sqlite;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Storage;

/// <summary>The SQLite store's save of live peers, which binds every row's key from one buffer.</summary>
public sealed class SqlitePeerSaveTests
{
    [Fact]
    public async Task Each_swarm_of_a_save_is_stored_under_its_own_key()
    {
        using var data = new TempFolder();
        SqliteTrackerStore store = await SqliteTrackerStore.OpenAsync(Path.Combine(data.Path, "tracker.db"), CancellationToken.None);
        SavedSwarm[] swarms = [.. Enumerable.Range(1, 3).Select(i => Swarm((byte)i, 6880 + i))];

        await store.SavePeersAsync(swarms, [], CancellationToken.None);

        IReadOnlyList<SavedSwarm> loaded = await store.LoadPeersAsync(CancellationToken.None);
        Assert.Equal(
            swarms.Select(s => (s.InfoHash, s.ReadEntry(0).Peer.Port)).OrderBy(s => s.Port),
            loaded.Select(s => (s.InfoHash, s.ReadEntry(0).Peer.Port)).OrderBy(s => s.Port));
    }

    private static SavedSwarm Swarm(byte first, int port)
    {
        byte[] hash = new byte[InfoHashKey.Length];
        hash[0] = first;
        byte[] peers = new byte[SavedSwarm.EntryLength];
        SavedSwarm.WriteEntry(peers, new PeerAddress(IPAddress.Loopback, port), isSeeder: false, expiresAt: 100);
        return new SavedSwarm(InfoHashKey.Read(hash), peers);
    }
}
