using Microsoft.Playwright;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>Story 1: a browser gets in only through the token URL, and then sees the list.</summary>
[Collection(nameof(ChromiumCollection))]
public sealed class LoginStoryTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task The_token_url_logs_a_browser_in_to_the_list_and_without_it_or_with_a_wrong_token_pages_are_refused()
    {
        await using NodeHost node = await TestNode.StartAsync(_folder.Path);
        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "login");

        Assert.Equal(401, (await user.Page.GotoAsync("/"))!.Status);
        Assert.Equal(401, (await user.Page.GotoAsync("js/main.js"))!.Status);
        Assert.Equal(401, (await user.Page.GotoAsync($"login?token={new string('0', node.Token.Value.Length)}"))!.Status);
        await user.ScreenshotAsync("wrong-token");

        await user.LogInAsync(node.Token.Value);
        await Expect(user.Page.Locator("#torrents-empty")).ToHaveTextAsync("No torrents yet: add a magnet link, a .torrent file or a path to share.");
        IReadOnlyList<BrowserContextCookiesResult> cookies = await user.Page.Context.CookiesAsync();
        BrowserContextCookiesResult session = Assert.Single(cookies, c => c.Name == "shoal_session");
        Assert.True(session.HttpOnly, "the session cookie is out of scripts' reach");
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.False(Assert.Single(cookies, c => c.Name == "shoal_csrf").HttpOnly, "the page reads the CSRF cookie to send it back as a header");
        await user.ScreenshotsAsync("list");

        IResponse page = (await user.Page.GotoAsync("/"))!;
        Assert.Equal(200, page.Status);
        Assert.Contains("default-src 'self'", page.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers["x-content-type-options"]);
        Assert.Equal("no-referrer", page.Headers["referrer-policy"]);
        Assert.Equal("DENY", page.Headers["x-frame-options"]);
        await Expect(user.Page.Locator("#connection")).ToHaveTextAsync("Live");
        Assert.DoesNotContain(user.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    public void Dispose() => _folder.Dispose();
}
