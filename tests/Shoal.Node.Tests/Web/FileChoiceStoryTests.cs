using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shoal.Node.Tests.Api;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>A user fetching one file of two changes their mind in the details dialog, and the other file comes too.</summary>
[Collection(nameof(ChromiumCollection))]
public sealed class FileChoiceStoryTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_file_left_out_is_fetched_once_the_user_picks_get_in_the_details()
    {
        byte[] week2 = TempFolder.RandomBytes(400_000, 9);
        _folder.File("seeder/notes/week1.txt", TempFolder.RandomBytes(600_000, 8));
        _folder.File("seeder/notes/week2.txt", week2);
        await using NodeHost seeder = await TestNode.StartAsync(Path.Combine(_folder.Path, "seeder"));
        using HttpClient seederApi = TestNode.Client(seeder);
        (_, JsonElement share) = await ApiCalls.AddJsonAsync(seederApi, new { share = Path.Combine(_folder.Path, "seeder", "notes") });
        string id = share.GetProperty("id").GetString()!;
        JsonElement shared = await ApiCalls.WaitForStateAsync(seederApi, id, "seeding");
        (_, JsonElement files) = await ApiCalls.SendAsync(seederApi, HttpMethod.Get, $"api/v1/torrents/{id}");
        int first = files.GetProperty("files")[0].GetProperty("index").GetInt32();
        string magnet = $"{shared.GetProperty("magnet").GetString()}&so={first}&x.pe=127.0.0.1:{seeder.Session.ListenEndPoint.Port}";

        string downloads = Path.Combine(_folder.Path, "downloads");
        await using NodeHost leecher = await TestNode.StartAsync(Path.Combine(_folder.Path, "leecher"));
        using (HttpClient api = TestNode.Client(leecher))
        {
            await ApiCalls.AddJsonAsync(api, new { magnet, savePath = downloads });
            await ApiCalls.WaitForStateAsync(api, id, "seeding");
        }

        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, leecher.ApiUrl, output, "file-choice");
        await user.LogInAsync(leecher.Token.Value);
        await user.Row("notes").GetByRole(AriaRole.Button, new() { Name = "notes", Exact = true }).ClickAsync();
        ILocator details = user.Page.GetByRole(AriaRole.Dialog, new() { Name = "notes" });
        ILocator second = details.GetByLabel("Priority of notes/week2.txt");
        await Expect(second).ToHaveValueAsync("skip");
        await Expect(details.Locator("#details-files tbody tr")).ToHaveTextAsync([new Regex("notes/week1.txt.*100.0%"), new Regex("notes/week2.txt")]);
        Assert.False(File.Exists(Path.Combine(downloads, "notes", "week2.txt")));
        await user.ScreenshotsAsync("one-file");

        await second.SelectOptionAsync("normal");

        await Expect(details.Locator("#details-files tbody tr")).ToHaveTextAsync([new Regex("notes/week1.txt.*100.0%"), new Regex("notes/week2.txt.*100.0%")]);
        await Expect(second).ToHaveValueAsync("normal");
        await user.ScreenshotsAsync("both-files");
        Assert.Equal(week2, File.ReadAllBytes(Path.Combine(downloads, "notes", "week2.txt")));
        Assert.Empty(user.ConsoleErrors);
    }

    public void Dispose() => _folder.Dispose();
}
