using Microsoft.Playwright;
using Shoal.Interop.Tests;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>Story 4: a folder shared from the UI downloads with `shoal get` of the magnet the UI shows.</summary>
[Collection(nameof(ChromiumCollection))]
public sealed class ShareStoryTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_folder_shared_from_the_ui_downloads_with_shoal_get_of_the_magnet_it_shows()
    {
        string photos = Path.Combine(_folder.Path, "mine", "photos");
        _folder.File("mine/photos/a.jpg", TempFolder.RandomBytes(900_000, 3));
        _folder.File("mine/photos/b.jpg", TempFolder.RandomBytes(1_200_000, 4));
        _folder.File("mine/photos/trip/c.jpg", TempFolder.RandomBytes(300_000, 5));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "share");
        await user.LogInAsync(node.Token.Value);
        IPage page = user.Page;

        await page.GetByLabel("Share a file or folder on this computer").FillAsync(photos);
        await page.GetByLabel("Share a file or folder on this computer").PressAsync("Enter");
        ILocator row = user.Row("photos");
        await Expect(row.Locator(".state")).ToHaveTextAsync("Seeding");
        await row.GetByRole(AriaRole.Button, new() { Name = "photos", Exact = true }).ClickAsync();
        ILocator magnetField = page.GetByLabel("Magnet link", new() { Exact = true });
        await Expect(magnetField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^magnet:\\?"));
        string magnet = await magnetField.InputValueAsync();
        await user.ScreenshotsAsync("shared");

        string gotFolder = Path.Combine(_folder.Path, "got");
        ProcessResult got = await ProcessRunner.RunAsync(
            Tools.Shoal,
            ["get", magnet, "-o", gotFolder, "--peer", $"127.0.0.1:{node.Session.ListenEndPoint!.Port}", "--no-dht", "--no-lsd"],
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(got.ExitCode == 0, $"shoal get exited with {got.ExitCode}: {got.Error}");
        Transfers.AssertSameContent(photos, Path.Combine(gotFolder, "photos"));
    }

    public void Dispose() => _folder.Dispose();
}
