using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>
/// Someone using a node's web UI in a fresh browser context: logs in, finds rows, and saves screenshots
/// under the test output's artifacts/screenshots, printing each path.
/// </summary>
internal sealed class BrowserUser : IAsyncDisposable
{
    public const float Timeout = 30_000;

    private readonly IBrowserContext _context;
    private readonly ITestOutputHelper _output;
    private readonly string _story;
    private readonly List<string> _consoleErrors = [];

    static BrowserUser() => SetDefaultExpectTimeout(Timeout);

    private BrowserUser(IBrowserContext context, IPage page, ITestOutputHelper output, string story)
    {
        _context = context;
        Page = page;
        _output = output;
        _story = story;
    }

    public IPage Page { get; }

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public static async Task<BrowserUser> OpenAsync(IBrowser browser, Uri node, ITestOutputHelper output, string story)
    {
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = node.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(Timeout);
        IPage page = await context.NewPageAsync();
        var user = new BrowserUser(context, page, output, story);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                output.WriteLine($"browser console: {message.Text}");
                lock (user._consoleErrors)
                {
                    user._consoleErrors.Add(message.Text);
                }
            }
        };
        return user;
    }

    /// <summary>Opens the token URL and, unless told not to, waits until the list follows the node's events.</summary>
    public async Task LogInAsync(string token, bool waitUntilLive = true)
    {
        IResponse? response = await Page.GotoAsync($"login?token={Uri.EscapeDataString(token)}");
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal(new Uri(new Uri(Page.Url), "/").ToString(), Page.Url);
        if (waitUntilLive)
        {
            await Expect(Page.Locator("#connection")).ToHaveTextAsync("Live");
        }
    }

    /// <summary>The errors the page logged so far, Content-Security-Policy refusals among them.</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (_consoleErrors)
            {
                return [.. _consoleErrors];
            }
        }
    }

    /// <summary>The list's row of the torrent named <paramref name="name"/>.</summary>
    public ILocator Row(string name) =>
        Page.Locator("#torrent-rows tr").Filter(new LocatorFilterOptions { Has = Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = name, Exact = true }) });

    /// <summary>A full-page screenshot at 1280×800 and one at 390×800, the narrow window of a phone.</summary>
    public async Task ScreenshotsAsync(string name)
    {
        await ScreenshotAsync($"{name}-wide");
        await Page.SetViewportSizeAsync(390, 800);
        await ScreenshotAsync($"{name}-narrow");
        await Page.SetViewportSizeAsync(1280, 800);
    }

    public async Task ScreenshotAsync(string name)
    {
        string path = Path.Combine(ScreenshotFolder, $"{_story}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        _output.WriteLine($"screenshot: {path}");
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}
