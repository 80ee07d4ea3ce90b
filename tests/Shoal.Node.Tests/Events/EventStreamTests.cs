using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Shoal.Tests;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Events;

public sealed class EventStreamTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task The_stream_starts_with_a_snapshot_of_the_torrents_and_stats_then_sends_stats()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        string id = await ShareAndWaitForSeedingAsync(client, "one.bin", 1);

        await using EventStream events = await EventStream.OpenAsync(client);

        SseItem<string> first = await events.NextAsync();
        Assert.Equal("snapshot", first.EventType);
        Assert.Equal(TimeSpan.FromSeconds(3), first.ReconnectionInterval);
        JsonElement snapshot = EventStream.Data(first);
        JsonElement torrent = Assert.Single(snapshot.GetProperty("torrents").EnumerateArray());
        Assert.Equal(id, torrent.GetProperty("id").GetString());
        Assert.Equal("seeding", torrent.GetProperty("state").GetString());
        Assert.Equal(1, snapshot.GetProperty("stats").GetProperty("seeding").GetInt32());

        JsonElement stats = await events.NextAsync("stats");
        Assert.Equal(1, stats.GetProperty("torrents").GetInt32());
        Assert.Equal(1, stats.GetProperty("seeding").GetInt32());
        Assert.Equal(0, stats.GetProperty("dhtNodes").GetInt32());
    }

    [Fact]
    public async Task Adding_pausing_and_removing_send_added_changed_with_the_state_only_and_removed()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        await using EventStream events = await EventStream.OpenAsync(client);
        Assert.Empty((await events.NextAsync("snapshot")).GetProperty("torrents").EnumerateArray());

        string file = _folder.File("shared/song.bin", TempFolder.RandomBytes(100_000, 2));
        string id = (await AddJsonAsync(client, new { share = file })).Body.GetProperty("id").GetString()!;
        JsonElement added = await events.NextAsync("added");
        Assert.Equal(id, added.GetProperty("id").GetString());
        Assert.Equal("song.bin", added.GetProperty("name").GetString());
        await WaitForStateAsync(client, id, "seeding");
        if (added.GetProperty("state").GetString() != "seeding")
        {
            await events.NextAsync("changed", c => c.TryGetProperty("state", out JsonElement state) && state.GetString() == "seeding");
        }

        await SendAsync(client, HttpMethod.Post, $"api/v1/torrents/{id}/pause");
        JsonElement paused = await events.NextAsync("changed");
        Assert.Equal(["id", "state"], paused.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, paused.GetProperty("id").GetString());
        Assert.Equal("paused", paused.GetProperty("state").GetString());

        await SendAsync(client, HttpMethod.Delete, $"api/v1/torrents/{id}");
        JsonElement removed = await events.NextAsync("removed");
        Assert.Equal([("id", id)], removed.EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
    }

    [Fact]
    public async Task Stats_counts_the_torrents_by_state()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        await ShareAndWaitForSeedingAsync(client, "a.bin", 3);
        string paused = await ShareAndWaitForSeedingAsync(client, "b.bin", 4);
        await SendAsync(client, HttpMethod.Post, $"api/v1/torrents/{paused}/pause");

        (HttpStatusCode status, JsonElement stats) = await SendAsync(client, HttpMethod.Get, "api/v1/stats");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            ["torrents", "downloading", "seeding", "paused", "downRate", "upRate", "downloaded", "uploaded", "peers", "dhtNodes"],
            stats.EnumerateObject().Select(p => p.Name));
        Assert.Equal((2, 0, 1, 1), (stats.GetProperty("torrents").GetInt32(), stats.GetProperty("downloading").GetInt32(), stats.GetProperty("seeding").GetInt32(), stats.GetProperty("paused").GetInt32()));
    }

    [Fact]
    public async Task The_stream_without_the_token_is_401()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node, token: "wrong");

        (HttpStatusCode status, _) = await SendAsync(client, HttpMethod.Get, "api/v1/events");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    public void Dispose() => _folder.Dispose();

    private async Task<string> ShareAndWaitForSeedingAsync(HttpClient client, string name, int seed)
    {
        string file = _folder.File($"shared/{name}", TempFolder.RandomBytes(50_000, seed));
        string id = (await AddJsonAsync(client, new { share = file })).Body.GetProperty("id").GetString()!;
        await WaitForStateAsync(client, id, "seeding");
        return id;
    }
}
