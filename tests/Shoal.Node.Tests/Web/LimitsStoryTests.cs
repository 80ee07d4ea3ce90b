using System.Net;
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

    public void Dispose() => _folder.Dispose();
}
