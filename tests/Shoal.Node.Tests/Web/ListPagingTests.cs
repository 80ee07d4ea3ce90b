using System.Text.Json;
using Microsoft.Playwright;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>
/// The list with 1,000 torrents: fifty rows a page, and an event rewrites the changed row in place. The event stream is
/// played by the test (a snapshot, then on reconnection a snapshot and changes), so the list is measured on its own.
/// </summary>
[Collection(nameof(ChromiumCollection))]
public sealed class ListPagingTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private const int Count = 1000;

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_thousand_torrents_show_fifty_a_page_and_a_change_rewrites_only_its_row()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "paging");
        IPage page = user.Page;
        int streams = 0;
        var reconnect = new TaskCompletionSource();
        await page.RouteAsync("**/api/v1/events", async route =>
        {
            bool first = Interlocked.Increment(ref streams) == 1;
            if (!first)
            {
                await reconnect.Task;
            }

            // The first stream ends at once; the browser then comes back for the second, as after a dropped connection.
            string body = first
                ? Event("snapshot", Snapshot()) + "retry: 100\n\n"
                : Event("snapshot", Snapshot()) + Event("changed", new { id = Id(999), progress = 0.5, downRate = 2048 }) + Event("removed", new { id = Id(998) }) + "retry: 100000\n\n";
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/event-stream", Body = body });
        });
        await user.LogInAsync(node.Token.Value, waitUntilLive: false);

        ILocator rows = page.Locator("#torrent-rows tr");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("1–50 of 1000");
        ILocator newest = user.Row("torrent-999");
        await Expect(newest.Locator(".percent")).ToHaveTextAsync("10.0%");
        await newest.EvaluateAsync("row => row.dataset.probe = 'kept'");
        await user.ScreenshotsAsync("first-page");

        reconnect.SetResult();
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("1–50 of 999");
        await Expect(newest.Locator(".percent")).ToHaveTextAsync("50.0%");
        Assert.Equal("kept", await newest.GetAttributeAsync("data-probe"));
        await Expect(user.Row("torrent-998")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("51–100 of 999");
        await Expect(rows).ToHaveCountAsync(50);
        await page.GetByLabel("Search by name").FillAsync("torrent-42");
        await Expect(rows).ToHaveCountAsync(11);
        await Expect(page.Locator("#pager")).ToBeHiddenAsync();
    }

    private static object Snapshot() => new
    {
        torrents = Enumerable.Range(0, Count).Select(Torrent).ToArray(),
        stats = new { torrents = Count, downloading = Count, seeding = 0, paused = 0, downRate = 0, upRate = 0, downloaded = 0, uploaded = 0, peers = 0, dhtNodes = 0 },
    };

    private static object Torrent(int index) => new
    {
        id = Id(index),
        name = $"torrent-{index}",
        state = "downloading",
        progress = 0.1,
        size = 1 << 20,
        downloaded = 104857,
        uploaded = 0,
        downRate = 0,
        upRate = 0,
        peers = 0,
        seeds = 0,
        eta = (int?)null,
        savePath = "/downloads",
        magnet = $"magnet:?xt=urn:btih:{Id(index)}",
        infoHashV1 = Id(index),
        infoHashV2 = (string?)null,
        addedAt = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(index).ToString("O"),
        error = (string?)null,
    };

    private static string Id(int index) => index.ToString("x40", System.Globalization.CultureInfo.InvariantCulture);

    private static string Event(string name, object data) => $"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n";

    public void Dispose() => _folder.Dispose();
}
