using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Shoal.Node.Tests.Api;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>The global limits set in the UI reach the node (a PATCH with the CSRF header) and show beside the rates.</summary>
[Collection(nameof(ChromiumCollection))]
public sealed class LimitsStoryTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Limits_saved_in_the_ui_are_the_nodes_settings_and_show_beside_the_rates()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "limits");
        await user.LogInAsync(node.Token.Value);
        IPage page = user.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Limits" }).ClickAsync();
        ILocator down = page.GetByLabel("Download limit (KiB/s, 0 for none)");
        await Expect(down).ToHaveValueAsync("0");
        await down.FillAsync("500");
        await page.GetByLabel("Upload limit (KiB/s, 0 for none)").FillAsync("64");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save limits" }).ClickAsync();
        await Expect(page.Locator("#limits [data-notice]")).ToHaveTextAsync("Limits saved");
        await Expect(page.Locator("#limit-down-text")).ToHaveTextAsync(" (limit 500.0 KiB/s)");
        await user.ScreenshotsAsync("saved");

        using HttpClient api = TestNode.Client(node);
        (HttpStatusCode status, JsonElement settings) = await ApiCalls.SendAsync(api, HttpMethod.Get, "api/v1/settings");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(500 * 1024, settings.GetProperty("downloadLimit").GetInt64());
        Assert.Equal(64 * 1024, settings.GetProperty("uploadLimit").GetInt64());
    }

    // Found in ./test.sh: the load that opening the view starts answered after the user typed, and put the old value back.
    [Fact]
    public async Task A_limit_typed_while_the_settings_load_is_kept()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "limits-typed");
        await user.LogInAsync(node.Token.Value);
        IPage page = user.Page;
        await Expect(page.Locator("#limit-down-text")).ToHaveTextAsync("");
        using HttpClient api = TestNode.Client(node);
        await ApiCalls.SendAsync(api, HttpMethod.Patch, "api/v1/settings", JsonContent.Create(new { downloadLimit = 100 * 1024 }));
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/v1/settings", async route =>
        {
            if (route.Request.Method == "GET")
            {
                await release.Task;
            }

            await route.ContinueAsync();
        });

        await page.GetByRole(AriaRole.Button, new() { Name = "Limits" }).ClickAsync();
        ILocator down = page.GetByLabel("Download limit (KiB/s, 0 for none)");
        await down.FillAsync("500");
        release.SetResult();

        // The held load has answered once the rates show its limit; the field keeps what the user typed.
        await Expect(page.Locator("#limit-down-text")).ToHaveTextAsync(" (limit 100.0 KiB/s)");
        await Expect(down).ToHaveValueAsync("500");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save limits" }).ClickAsync();
        await Expect(page.Locator("#limit-down-text")).ToHaveTextAsync(" (limit 500.0 KiB/s)");
    }

    public void Dispose() => _folder.Dispose();
}
