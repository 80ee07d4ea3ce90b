using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shoal.Metainfo;
using Shoal.Net;
using Shoal.Node.Tests.Api;
using Shoal.Session;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>A torrent's details open from the keyboard, show its files and piece map, and Escape closes them.</summary>
[Collection(nameof(ChromiumCollection))]
public sealed partial class DetailsStoryTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Details_open_with_enter_show_files_and_every_piece_and_escape_closes_them()
    {
        string notes = Path.Combine(_folder.Path, "mine", "notes");
        _folder.File("mine/notes/week1.txt", TempFolder.RandomBytes(600_000, 6));
        _folder.File("mine/notes/week2.txt", TempFolder.RandomBytes(400_000, 7));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        using (HttpClient api = TestNode.Client(node))
        {
            await ApiCalls.AddJsonAsync(api, new { share = notes });
        }

        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "details");
        await user.LogInAsync(node.Token.Value);
        ILocator name = user.Row("notes").GetByRole(AriaRole.Button, new() { Name = "notes", Exact = true });
        await Expect(user.Row("notes").Locator(".state")).ToHaveTextAsync("Seeding");
        await name.FocusAsync();
        await user.Page.Keyboard.PressAsync("Enter");

        ILocator details = user.Page.GetByRole(AriaRole.Dialog, new() { Name = "notes" });
        await Expect(details.Locator("#details-files tbody tr")).ToHaveTextAsync([new Regex("notes/week1.txt.*100.0%"), new Regex("notes/week2.txt.*100.0%")]);
        await Expect(details.Locator("#details-pieces")).ToHaveAttributeAsync("aria-label", AllPiecesVerified());
        await Expect(details.GetByLabel("Magnet link", new() { Exact = true })).ToHaveValueAsync(new Regex("^magnet:\\?xt=urn:"));
        await user.ScreenshotsAsync("open");

        await user.Page.Keyboard.PressAsync("Escape");
        await Expect(details).ToBeHiddenAsync();
        await Expect(name).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_peer_connected_over_encrypted_utp_shows_so_in_the_details()
    {
        _folder.File("mine/film.bin", TempFolder.RandomBytes(400_000, 8));
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        string magnet;
        using (HttpClient api = TestNode.Client(node))
        {
            (_, JsonElement shared) = await ApiCalls.AddJsonAsync(api, new { share = Path.Combine(_folder.Path, "mine", "film.bin") });
            magnet = (await ApiCalls.WaitForStateAsync(api, shared.GetProperty("id").GetString()!, "seeding")).GetProperty("magnet").GetString()!;
        }

        await using ShoalSession leecher = TestNode.StartEncryptedUtpLeecher(node, magnet, Path.Combine(_folder.Path, "leecher"));

        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "details-connection");
        await user.LogInAsync(node.Token.Value);
        await user.Row("film.bin").GetByRole(AriaRole.Button, new() { Name = "film.bin", Exact = true }).ClickAsync();
        ILocator details = user.Page.GetByRole(AriaRole.Dialog, new() { Name = "film.bin" });

        await Expect(details.Locator("#details-connections tbody tr")).ToHaveTextAsync([new Regex(@"127\.0\.0\.1:\d+.*uTP, encrypted")]);
        await user.ScreenshotsAsync("utp-encrypted");
        Assert.Empty(user.ConsoleErrors);
    }

    public void Dispose() => _folder.Dispose();

    [GeneratedRegex(@"^Piece map: (\d+) of \1 pieces verified$")]
    private static partial Regex AllPiecesVerified();
}
