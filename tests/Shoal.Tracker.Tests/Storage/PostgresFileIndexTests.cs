using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Tracker.Index;
using Shoal.Tracker.Storage.Postgres;
using Shoal.Tracker.Swarms;

namespace Shoal.Tracker.Tests.Storage;

public sealed class PostgresFileIndexTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_torrent_is_found_by_its_v1_hash_and_by_its_truncated_v2_hash()
    {
        await using PostgresTrackerStore store = await OpenAsync();
        StoredTorrent hybrid = NewTorrent("hybrid", v1: true, v2: true);
        StoredTorrent v2Only = NewTorrent("v2 only", v1: false, v2: true);
        Assert.Equal(Registration.Created, (await store.RegisterAsync(hybrid, null, default)).Outcome);
        Assert.Equal(Registration.Created, (await store.RegisterAsync(v2Only, null, default)).Outcome);

        AssertSame(hybrid, await store.FindAsync(InfoHashKey.Read(hybrid.InfoHashV1), default));
        AssertSame(hybrid, await store.FindAsync(InfoHashKey.Read(hybrid.InfoHashV2), default));
        AssertSame(v2Only, await store.FindAsync(InfoHashKey.Read(v2Only.InfoHashV2), default));
        Assert.Null(await store.FindAsync(InfoHashKey.Read(new byte[20]), default));
    }

    [Fact]
    public async Task Registering_again_returns_the_stored_torrent()
    {
        await using PostgresTrackerStore first = await OpenAsync();
        await using PostgresTrackerStore second = await OpenAsync();
        StoredTorrent original = NewTorrent("original", v1: true, v2: true);
        await first.RegisterAsync(original, null, default);

        (StoredTorrent sameV1, Registration createdV1) = await second.RegisterAsync(original with { Name = "copy", InfoHashV2 = null, Registered = Start.AddDays(1) }, null, default);
        (StoredTorrent sameV2, Registration createdV2) = await second.RegisterAsync(original with { Name = "copy", InfoHashV1 = null, Registered = Start.AddDays(1) }, null, default);

        Assert.Equal(Registration.Existing, createdV1);
        Assert.Equal(Registration.Existing, createdV2);
        AssertSame(original, sameV1);
        AssertSame(original, sameV2);
    }

    [Fact]
    public async Task Search_ignores_case_lists_the_newest_first_and_pages()
    {
        await using PostgresTrackerStore store = await OpenAsync();
        string token = $"Tok{Guid.NewGuid():N}";
        StoredTorrent[] torrents = [.. Enumerable.Range(0, 5).Select(i => NewTorrent($"Été {i} {token}", v1: true, v2: false, Start.AddMinutes(i)))];
        foreach (StoredTorrent torrent in torrents)
        {
            await store.RegisterAsync(torrent, null, default);
        }

        (long total, IReadOnlyList<TorrentListing> page) = await store.SearchAsync($"éTÉ 3 {token.ToUpperInvariant()}", 0, 10, default);
        (long allTotal, IReadOnlyList<TorrentListing> second) = await store.SearchAsync(token.ToLowerInvariant(), 1, 2, default);
        (long none, IReadOnlyList<TorrentListing> empty) = await store.SearchAsync($"{token}x", 0, 10, default);
        (long everything, _) = await store.SearchAsync(null, 0, 1, default);

        Assert.Equal(1, total);
        TorrentListing found = Assert.Single(page);
        Assert.Equal((torrents[3].Name, torrents[3].Size, torrents[3].Registered), (found.Name, found.Size, found.Registered));
        Assert.Equal(torrents[3].InfoHashV1, found.InfoHashV1);
        Assert.Equal(5, allTotal);
        Assert.Equal([torrents[3].Name, torrents[2].Name], second.Select(torrent => torrent.Name));
        Assert.Equal(0, none);
        Assert.Empty(empty);
        Assert.True(everything >= 5);
    }

    private Task<PostgresTrackerStore> OpenAsync() =>
        PostgresTrackerStore.OpenAsync(fixture.Database.ConnectionString, TimeSpan.FromMinutes(30), PeerCapsForTests.Unlimited, TimeProvider.System, NullLogger.Instance, default);

    private static StoredTorrent NewTorrent(string name, bool v1, bool v2, DateTimeOffset? registered = null) =>
        new(name, name.Length * 1000L, v1 ? RandomBytes(20) : null, v2 ? RandomBytes(32) : null, RandomBytes(64), registered ?? Start);

    private static byte[] RandomBytes(int length) => Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), length);

    private static void AssertSame(StoredTorrent expected, StoredTorrent? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Size, actual.Size);
        Assert.Equal(expected.InfoHashV1, actual.InfoHashV1);
        Assert.Equal(expected.InfoHashV2, actual.InfoHashV2);
        Assert.Equal(expected.TorrentBytes, actual.TorrentBytes);
        Assert.Equal(expected.Registered, actual.Registered);
    }
}
