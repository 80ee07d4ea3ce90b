using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Shoal.Node.Api;
using Shoal.Tests;
using Xunit.Abstractions;
using static Shoal.Node.Tests.Api.ApiCalls;

namespace Shoal.Node.Tests.Events;

public sealed class EventSizeTests(ITestOutputHelper output) : IDisposable
{
    private const int Torrents = 1000;

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task With_1000_torrents_one_torrents_change_is_under_1_percent_of_the_full_list()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using HttpClient client = TestNode.Client(node);
        await PausedTorrents.AddAsync(node, _folder, Torrents - 1);
        string shared = _folder.File("shared/changing.bin", TempFolder.RandomBytes(50_000, 7));
        string id = (await AddJsonAsync(client, new { share = shared })).Body.GetProperty("id").GetString()!;
        await WaitForStateAsync(client, id, "seeding");
        await using EventStream events = await EventStream.OpenAsync(client);
        Assert.Equal(Torrents, (await events.NextAsync("snapshot")).GetProperty("torrents").GetArrayLength());

        await SendAsync(client, HttpMethod.Post, $"api/v1/torrents/{id}/pause");
        JsonElement changed = await events.NextAsync("changed", c => c.GetProperty("id").GetString() == id);
        using HttpResponseMessage list = await client.GetAsync(new Uri($"api/v1/torrents?perPage={Torrents}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        byte[] listBytes = await list.Content.ReadAsByteArrayAsync();

        int changedBytes = Encoding.UTF8.GetByteCount(changed.GetRawText());
        output.WriteLine($"one torrent paused: `changed` data is {changedBytes} bytes ({changed.GetRawText()}); the list of {Torrents} torrents is {listBytes.Length} bytes");
        var clock = Stopwatch.StartNew();
        _ = node.Torrents.All.Select(TorrentViews.From).ToList();
        output.WriteLine($"views of the {Torrents} torrents, as each pass takes them: {clock.Elapsed.TotalMilliseconds:F1} ms");
        Assert.Equal(Torrents, JsonDocument.Parse(listBytes).RootElement.GetProperty("torrents").GetArrayLength());
        Assert.True(changedBytes * 100 < listBytes.Length, $"{changedBytes} bytes is not under 1 % of {listBytes.Length}");
    }

    public void Dispose() => _folder.Dispose();
}
