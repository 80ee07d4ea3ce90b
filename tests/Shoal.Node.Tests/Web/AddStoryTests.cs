using Microsoft.Playwright;
using Shoal.Interop.Tests;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>
/// Adding goes wrong where the user is looking: each form shows the node's own error text. A .torrent dropped on
/// the page is added like a chosen one.
/// </summary>
[Collection(nameof(ChromiumCollection))]
public sealed class AddStoryTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Each_form_shows_the_nodes_error_beside_it_and_a_dropped_torrent_file_is_added()
    {
        // The data is already where the node saves, so the dropped torrent checks it and seeds without peers.
        string song = _folder.File("downloads/song.flac", TempFolder.RandomBytes(800_000, 8));
        string torrent = Path.Combine(_folder.Path, "song.torrent");
        await Tools.PythonJsonAsync("lt_create.py", song, "16384", "v1", torrent);
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "add");
        await user.LogInAsync(node.Token.Value);
        IPage page = user.Page;

        await page.GetByLabel("Magnet link or info-hash").FillAsync("magnet:?xt=urn:btih:not-a-hash");
        await page.GetByLabel("Magnet link or info-hash").PressAsync("Enter");
        await Expect(page.Locator("#add-magnet [data-error]")).ToContainTextAsync("magnet");
        string missing = Path.Combine(_folder.Path, "no-such-folder");
        await page.GetByLabel("Share a file or folder on this computer").FillAsync(missing);
        await page.GetByRole(AriaRole.Button, new() { Name = "Share" }).ClickAsync();
        await Expect(page.Locator("#add-share [data-error]")).ToContainTextAsync("no-such-folder");
        await DropAsync(page, "broken.torrent", "d4:infoi1ee"u8.ToArray());
        await Expect(page.Locator("#add-file [data-error]")).Not.ToBeEmptyAsync();
        await user.ScreenshotsAsync("errors");

        await DropAsync(page, "song.torrent", await File.ReadAllBytesAsync(torrent));
        await Expect(page.Locator("#add-notice")).ToHaveTextAsync("Added song.flac");
        await Expect(page.Locator("#add-file [data-error]")).ToBeEmptyAsync();
        await Expect(user.Row("song.flac").Locator(".state")).ToHaveTextAsync("Seeding");
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Drops a file on the page as a file manager would: dragover, then drop, with the file in the DataTransfer.</summary>
    private static async Task DropAsync(IPage page, string name, byte[] content)
    {
        IJSHandle transfer = await page.EvaluateHandleAsync(
            "([name, base64]) => { const t = new DataTransfer(); t.items.add(new File([Uint8Array.from(atob(base64), c => c.charCodeAt(0))], name)); return t; }",
            new object[] { name, Convert.ToBase64String(content) });
        await page.DispatchEventAsync("body", "dragover", new { dataTransfer = transfer });
        await Expect(page.Locator("#drop-overlay")).ToBeVisibleAsync();
        await page.DispatchEventAsync("body", "drop", new { dataTransfer = transfer });
        await Expect(page.Locator("#drop-overlay")).ToBeHiddenAsync();
    }
}
