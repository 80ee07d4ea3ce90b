using System.Globalization;
using Microsoft.Playwright;
using Shoal.Interop.Tests;
using Shoal.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Shoal.Node.Tests.Web;

/// <summary>
/// Story 5: the node's user is not logged in, and the Groups view says how to; once logged in (shoal login, the
/// node's config folder) it lists the file alice shares into the group, and Get downloads it.
/// </summary>
[Collection(nameof(ChromiumCollection))]
public sealed class GroupsStoryTests(ChromiumFixture chromium, ITestOutputHelper output) : IDisposable
{
    private const string Group = "physics";

    private readonly TempFolder _folder = new();

    [Fact]
    public async Task The_groups_view_says_how_to_log_in_then_lists_a_group_file_and_gets_it()
    {
        await using ShoalTrackerProcess tracker = await ShoalTrackerProcess.StartAsync(Folder("tracker"));
        var alice = new TrackerUser("alice", Folder("alice-config"));
        var bob = new TrackerUser("bob", Folder("bob-config"));
        NodeOptions options = TestNode.Options(_folder.Path) with { ConfigDirectory = bob.ConfigFolder };
        await using NodeHost node = await NodeHost.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using BrowserUser user = await BrowserUser.OpenAsync(chromium.Browser, node.ApiUrl, output, "groups");
        await user.LogInAsync(node.Token.Value);
        IPage page = user.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Groups" }).ClickAsync();
        await Expect(page.Locator("#groups code")).ToHaveTextAsync("shoal login NAME --tracker URL");
        await user.ScreenshotAsync("logged-out");

        await alice.SignUpAsync(tracker.HttpAnnounce);
        await alice.OkAsync(null, "group", "create", Group);
        await bob.SignUpAsync(tracker.HttpAnnounce);
        await bob.OkAsync(null, "group", "join", Group);
        await alice.OkAsync(null, "group", "accept", Group, "bob");
        string lecture = _folder.File("alice-files/lecture.bin", TempFolder.RandomBytes(3_000_000, 9));
        await using RunningProcess share = RunningProcess.Start(
            Tools.Shoal,
            ["share", lecture, "--group", Group, "--port", Tools.FreeTcpPort().ToString(CultureInfo.InvariantCulture), "--no-dht", "--no-lsd"],
            environment: alice.Environment);
        await share.WaitForOutputLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(page.Locator("#groups .group-intro")).ToContainTextAsync("Logged in as bob");
        ILocator file = page.Locator("#groups tr", new() { HasText = "lecture.bin" });
        await Expect(file).ToContainTextAsync("alice");
        await user.ScreenshotsAsync("listed");
        await file.GetByRole(AriaRole.Button, new() { Name = "Get lecture.bin" }).ClickAsync();
        await Expect(file.Locator(".row-status")).ToHaveTextAsync("Added to your torrents");

        await page.GetByRole(AriaRole.Button, new() { Name = "Torrents" }).ClickAsync();
        await Expect(user.Row("lecture.bin").Locator(".state")).ToHaveTextAsync("Seeding");
        await user.ScreenshotAsync("got");
        Assert.Equal(Transfers.Sha256(lecture), Transfers.Sha256(Path.Combine(_folder.Path, "downloads", "lecture.bin")));
    }

    public void Dispose() => _folder.Dispose();

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_folder.Path, name)).FullName;
}
