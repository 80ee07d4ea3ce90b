using Microsoft.Playwright;
using Shoal.Interop.Tests;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>
/// Story 3: a .torrent seeded by libtorrent, chosen in the UI, downloads; it pauses and resumes from the keyboard,
/// and is removed with its files.
/// </summary>
[Collection(nameof(ChromiumCollection))]
public sealed class TorrentFileStoryTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_torrent_file_seeded_by_libtorrent_downloads_pauses_resumes_and_is_removed_with_its_files()
    {
        string album = Path.Combine(_folder.Path, "seed", "album");
        _folder.File("seed/album/one.bin", TempFolder.RandomBytes(1_500_000, 1));
        _folder.File("seed/album/two.bin", TempFolder.RandomBytes(700_000, 2));
        string torrent = Path.Combine(_folder.Path, "album.torrent");
        await Tools.PythonJsonAsync("lt_create.py", album, "32768", "v1", torrent);
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        await using LibtorrentSeed seed = await LibtorrentSeed.StartAsync(torrent, Path.GetDirectoryName(album)!, dial: [$"127.0.0.1:{node.Session.ListenEndPoint!.Port}"]);
        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "torrent-file");
        await user.LogInAsync(node.Token.Value);
        IPage page = user.Page;

        await page.GetByLabel("A .torrent file").SetInputFilesAsync(torrent);
        ILocator row = user.Row("album");
        await Expect(row.Locator(".state")).ToHaveTextAsync("Seeding");
        await Expect(row.Locator(".percent")).ToHaveTextAsync("100.0%");
        string downloaded = Path.Combine(_folder.Path, "downloads", "album");
        Transfers.AssertSameContent(album, downloaded);

        await row.GetByRole(AriaRole.Button, new() { Name = "Pause album" }).PressAsync("Enter");
        await Expect(row.Locator(".state")).ToHaveTextAsync("Paused");
        await user.ScreenshotsAsync("paused");
        await row.GetByRole(AriaRole.Button, new() { Name = "Resume album" }).PressAsync(" ");
        await Expect(row.Locator(".state")).ToHaveTextAsync("Seeding");

        await row.GetByRole(AriaRole.Button, new() { Name = "Remove album" }).ClickAsync();
        ILocator confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Remove torrent?" });
        await confirm.GetByLabel("Also delete its downloaded files").CheckAsync();
        await user.ScreenshotAsync("remove");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(row).ToHaveCountAsync(0);
        // The dialog closes once the node answered, after it deleted the files.
        string[] left = Directory.Exists(downloaded) ? Directory.GetFiles(downloaded, "*", SearchOption.AllDirectories) : [];
        Assert.True(left.Length == 0, $"still on disk after removing the torrent with its files: {string.Join(", ", left)}");
    }

    public void Dispose() => _folder.Dispose();
}
