using Microsoft.Playwright;

namespace Shoal.Node.Tests.Web;

/// <summary>
/// One headless Debian Chromium (/usr/bin/chromium, installed by ./test.sh) for all web stories; each story opens
/// its own browser context, so cookies never carry over. Playwright never downloads a browser here.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: ./test.sh installs the chromium package");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The web stories share one Chromium and run one after another: the machine has few cores.</summary>
[CollectionDefinition(nameof(ChromiumCollection))]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>;
