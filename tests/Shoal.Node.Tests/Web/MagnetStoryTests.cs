using Shoal.Interop.Tests;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>Story 2: a magnet seeded by a separate `shoal share` process, pasted into the UI, downloads whole.</summary>
[Collection(nameof(ChromiumCollection))]
public sealed class MagnetStoryTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_pasted_magnet_seeded_by_shoal_share_reaches_100_percent_and_the_file_matches()
    {
        string file = _folder.File("seed/talk.bin", TempFolder.RandomBytes(4_000_000, 11));
        await using ShoalShare share = await ShoalShare.StartAsync(file, torrent: null, extra: ["--no-dht", "--no-lsd"]);
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "magnet");
        await user.LogInAsync(node.Token.Value);

        await user.Page.GetByLabel("Magnet link or info-hash").FillAsync($"{share.Magnet}&x.pe={share.Endpoint}");
        await user.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(user.Page.Locator("#add-notice")).ToHaveTextAsync("Added talk.bin");
        await user.ScreenshotAsync("added");

        await Expect(user.Row("talk.bin").Locator(".percent")).ToHaveTextAsync("100.0%");
        await Expect(user.Row("talk.bin").Locator(".state")).ToHaveTextAsync("Seeding");
        await user.ScreenshotsAsync("done");
        Assert.Equal(Transfers.Sha256(file), Transfers.Sha256(Path.Combine(_folder.Path, "downloads", "talk.bin")));
    }

    public void Dispose() => _folder.Dispose();
}
